// The live event stream for the chosen namespaces (or the whole cluster): Warnings emphasised,
// filters by type, reason and involved object, and links to the involved object.
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { discoveryQuery } from '../../react/discovery-query.ts';
import { eventFields } from '../../react/event-fields.ts';
import { useKubeEnvironment } from '../../react/kube-environment.ts';
import { resourceForKind } from '../../react/resource-catalog.ts';
import { useLiveView } from '../../react/use-live-sources.ts';
import { useViewKeys } from '../../react/use-view-keys.ts';
import { useNavigate, useRoute } from '../../stores/route-context.ts';
import { ageOf } from '../../ui/human-duration.ts';
import { arrayRows, LiveTable } from '../../ui/live-table.tsx';
import { StateMessage } from '../../ui/state-message.tsx';
import { SyncIndicator } from '../../ui/sync-indicator.tsx';

const EVENTS = { group: '', version: 'v1', resource: 'events' };
const COLUMNS = [
  { title: 'Last seen', weight: 0.6 },
  { title: 'Type', weight: 0.6 },
  { title: 'Reason', weight: 1 },
  { title: 'Object', weight: 1.6 },
  { title: 'Message', weight: 4 },
  { title: 'Count', weight: 0.4, numeric: true },
];

export function EventStream() {
  const { discoveryFor } = useKubeEnvironment();
  const route = useRoute();
  const navigate = useNavigate();
  const catalog = useQuery(discoveryQuery(discoveryFor, route.context)).data;
  // The same keys (and so the same shared informers) as the watch-delta log uses for this view.
  const { keys } = useViewKeys({
    context: route.context,
    gvr: EVENTS,
    namespaces:
      route.namespaces.kind === 'default'
        ? null
        : route.namespaces.kind === 'all'
          ? []
          : route.namespaces.names,
    labelSelector: '',
    fieldSelector: '',
  });
  const view = useLiveView(keys);
  const [type, setType] = useState<'all' | 'Warning' | 'Normal'>('all');
  const [reason, setReason] = useState('');
  const [object, setObject] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const now = Date.now();

  const events = useMemo(() => {
    const r = reason.trim().toLowerCase();
    const o = object.trim().toLowerCase();
    return view.rows
      .map((row) => ({ key: `${row.metadata.namespace}/${row.metadata.name}`, e: eventFields(row.object) }))
      .filter(
        ({ e }) =>
          (type === 'all' || e.type === type) &&
          (r === '' || e.reason.toLowerCase().includes(r)) &&
          (o === '' || `${e.involved.kind}/${e.involved.name}`.toLowerCase().includes(o)),
      )
      .sort((a, b) => b.e.last - a.e.last);
  }, [view.rows, type, reason, object]);

  const rows = useMemo(() => arrayRows(events.map(({ key }) => ({ key }))), [events]);
  // Cells only for rows in the DOM (the table asks per visible row).
  const renderCells = (index: number) => {
    const item = events[index];
    if (!item) return [];
    const { e } = item;
    const target = resourceForKind(catalog, e.involved.apiVersion, e.involved.kind);
    return [
      e.last ? ageOf(new Date(e.last).toISOString(), now) : '',
      <span key="t" className={e.type === 'Warning' ? 'event-warning' : undefined}>
        {e.type}
      </span>,
      e.reason,
      target ? (
        <button
          key="o"
          type="button"
          className="link-button"
          onClick={(ev) => {
            ev.stopPropagation();
            navigate({
              view: 'resources',
              gvr: { group: target.group, version: target.version, resource: target.resource },
              selected: { namespace: target.namespaced ? e.involved.namespace : '', name: e.involved.name },
            });
          }}
        >
          {e.involved.kind}/{e.involved.name}
        </button>
      ) : (
        `${e.involved.kind}/${e.involved.name}`
      ),
      e.message,
      String(e.count),
    ];
  };
  const status = view.statuses[0];

  return (
    <section className="resource-view" aria-label="Events">
      <div className="view-toolbar">
        <h2 className="view-title">Events</h2>
        <output className="count" aria-label="event count" aria-live="off">
          {events.length} of {view.rows.length}
        </output>
        <select aria-label="Event type" value={type} onChange={(e) => setType(e.target.value as typeof type)}>
          <option value="all">All types</option>
          <option value="Warning">Warning</option>
          <option value="Normal">Normal</option>
        </select>
        <input
          className="selector-input"
          aria-label="Filter by reason"
          placeholder="reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <input
          className="selector-input"
          aria-label="Filter by object"
          placeholder="object (kind/name)"
          value={object}
          onChange={(e) => setObject(e.target.value)}
        />
        {status && (
          <SyncIndicator
            phase={status.phase}
            resourceVersion={status.lastSyncRV}
            fromCache={status.fromCache}
            lastError={status.lastError}
            retryAt={status.retryAt}
            onRetry={() => {
              for (const s of view.sources) s.retry();
            }}
          />
        )}
      </div>
      <div className="view-body">
        {!route.context ? (
          <StateMessage kind="empty" title="Pick a context to see its events" />
        ) : status?.phase === 'forbidden' && view.rows.length === 0 ? (
          <StateMessage kind="forbidden" title="You may not list events here" detail={status.lastError} />
        ) : status?.phase === 'listing' && view.rows.length === 0 ? (
          <StateMessage kind="loading" title="Listing events…" />
        ) : (
          <LiveTable
            label="events"
            columns={COLUMNS}
            rows={rows}
            renderCells={renderCells}
            sort={null}
            onSort={() => {}}
            selectedKey={selected}
            onSelect={setSelected}
            onOpen={setSelected}
            empty={<StateMessage kind="empty" title="No events match" />}
          />
        )}
      </div>
    </section>
  );
}
