// The live resource table: the server's own Table columns (kubectl's, CRD printer columns), rows
// kept current by the watch, highlights on change, fading on delete, sort by any column, a text
// filter, server-side label/field selectors, counts and the sync indicator.
import { useEffect, useMemo, useState } from 'react';
import type { SyncStatus } from '../../react/live-source.ts';
import { formatCell, visibleColumns } from '../../react/server-table.ts';
import { useLiveView } from '../../react/use-live-sources.ts';
import { useRowFlashes } from '../../react/use-row-flashes.ts';
import { useViewKeys } from '../../react/use-view-keys.ts';
import { accessId, accessStore } from '../../stores/access-store.ts';
import { useNavigate, useRoute } from '../../stores/route-context.ts';
import type { NamespaceChoice } from '../../stores/route-url.ts';
import { ageOf } from '../../ui/human-duration.ts';
import { LiveTable, type LiveTableRows, type SortState } from '../../ui/live-table.tsx';
import { StateMessage } from '../../ui/state-message.tsx';
import { SyncIndicator } from '../../ui/sync-indicator.tsx';
import { SelectorInputs } from './selector-inputs.tsx';
import { useOrderedRows } from './use-ordered-rows.ts';

export function namespacesOf(choice: NamespaceChoice): string[] | null {
  return choice.kind === 'default' ? null : choice.kind === 'all' ? [] : choice.names;
}

const PHASE_RANK: Record<SyncStatus['phase'], number> = {
  synced: 0,
  stopped: 1,
  listing: 2,
  reconnecting: 3,
  unauthorized: 4,
  forbidden: 5,
};

/** The status to show for several sources: the worst one. */
function worst(statuses: readonly SyncStatus[]): SyncStatus | undefined {
  return [...statuses].sort((a, b) => PHASE_RANK[b.phase] - PHASE_RANK[a.phase])[0];
}

/** The oldest last-activity time among the view's open watches (the one most likely stalled). */
function oldestActivity(sources: readonly { lastWatchActivity(): number | undefined }[]): number | undefined {
  let oldest: number | undefined;
  for (const s of sources) {
    const t = s.lastWatchActivity();
    if (t !== undefined && (oldest === undefined || t < oldest)) oldest = t;
  }
  return oldest;
}

export function ResourceTableView() {
  const route = useRoute();
  const navigate = useNavigate();
  const { keys, resource, namespaces, ready } = useViewKeys({
    context: route.context,
    gvr: route.gvr,
    namespaces: namespacesOf(route.namespaces),
    labelSelector: route.labelSelector,
    fieldSelector: route.fieldSelector,
  });
  const view = useLiveView(keys);
  const { flashes, ghosts } = useRowFlashes(view.sources);
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortState | null>(null);
  // Ages tick every 10 s; each render (a batch of changes, say) also reads the clock, so a row that
  // just arrived shows "0s", never the "<invalid>" of a timestamp newer than a stale `now`.
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((t) => t + 1), 10_000);
    return () => clearInterval(id);
  }, []);
  const now = Date.now();

  const status = worst(view.statuses);
  useEffect(() => {
    if (!route.context || !route.gvr || !status) return;
    if (status.phase === 'forbidden')
      accessStore.getState().setDenied(accessId(route.context, route.gvr), true);
    if (status.phase === 'synced')
      accessStore.getState().setDenied(accessId(route.context, route.gvr), false);
  }, [route.context, route.gvr, status]);

  const columns = useMemo(() => visibleColumns(view.columns), [view.columns]);
  const nameColumn = columns.findIndex((c) => c.def.name === 'Name');
  const effectiveSort = sort ?? { column: Math.max(0, nameColumn), descending: false };
  const showNamespace = (resource?.namespaced ?? false) && namespaces.length !== 1;
  const sortDefs = useMemo(() => columns.map((c) => c.def), [columns]);
  // The order is kept incrementally (binary insertion per changed row); only a new sort column
  // sorts everything again (ordered-row-index.ts).
  const ordered = useOrderedRows(view.sources, ghosts, {
    columns: sortDefs,
    filter,
    sortColumn: effectiveSort.column,
    descending: effectiveSort.descending,
  });
  // Flashes are looked up per visible row only; nothing here is O(rows) per frame.
  const tableRows: LiveTableRows = {
    length: ordered.length,
    at(i) {
      const o = ordered.at(i);
      return o && { key: o.key, flash: o.deleted ? 'deleted' : flashes.get(o.key) };
    },
    indexOf: (key) => ordered.indexOf(key),
  };
  // Only visible rows are formatted (the table asks per row); Age is recomputed so it keeps ticking.
  const renderCells = (i: number): string[] => {
    const row = ordered.at(i)?.row;
    if (!row) return [];
    const cells = columns.map(({ def, index }) =>
      def.name === 'Age'
        ? ageOf(row.metadata.creationTimestamp, now) || formatCell(row.cells[index])
        : formatCell(row.cells[index]),
    );
    return showNamespace ? [row.metadata.namespace ?? '', ...cells] : cells;
  };
  const tableColumns = useMemo(
    () => [
      ...(showNamespace ? [{ title: 'Namespace', weight: 1 }] : []),
      ...columns.map(({ def }) => ({
        title: def.name,
        description: def.description,
        weight: def.name === 'Name' ? 3 : def.type === 'string' && def.format !== 'date' ? 1.2 : 0.7,
        numeric: def.type === 'integer' || def.type === 'number',
      })),
    ],
    [columns, showNamespace],
  );

  if (!route.context) return <StateMessage kind="empty" title="Pick a context to start" />;
  if (!route.gvr) return <StateMessage kind="empty" title="Pick a resource from the tree, or press Ctrl+K" />;
  const label = resource ? resource.resource : route.gvr.resource;
  const selectedKey = route.selected
    ? route.selected.namespace
      ? `${route.selected.namespace}/${route.selected.name}`
      : route.selected.name
    : null;
  const select = (key: string) => {
    const [a, b] = key.split('/');
    navigate(
      b === undefined
        ? { selected: { namespace: '', name: a ?? '' } }
        : { selected: { namespace: a ?? '', name: b } },
      {
        replace: route.selected !== null,
      },
    );
  };
  const retry = () => {
    for (const s of view.sources) s.retry();
  };

  let body: React.ReactNode;
  if (!ready) body = <StateMessage kind="loading" title={`Looking up ${label}…`} />;
  else if (status?.phase === 'forbidden' && view.total === 0)
    body = (
      <StateMessage
        kind="forbidden"
        title={`You may not list ${label}${namespaces.length === 1 ? ` in ${namespaces[0]}` : ''}`}
        detail={status.lastError}
        onRetry={retry}
      />
    );
  else if (status?.phase === 'unauthorized' && view.total === 0)
    body = (
      <StateMessage
        kind="expired"
        title="The credentials for this context expired"
        detail={status.lastError}
        onRetry={retry}
      />
    );
  else if (status?.phase === 'reconnecting' && view.total === 0 && status.lastSyncRV === '')
    body = (
      <StateMessage
        kind="error"
        title={`Listing ${label} failed`}
        detail={status.lastError}
        onRetry={retry}
      />
    );
  else if (status?.phase === 'listing' && view.total === 0)
    body = <StateMessage kind="loading" title={`Listing ${label}…`} />;
  else
    body = (
      <LiveTable
        label={label}
        columns={tableColumns}
        rows={tableRows}
        renderCells={renderCells}
        sort={showNamespace ? { ...effectiveSort, column: effectiveSort.column + 1 } : effectiveSort}
        onSort={(col) => {
          const c = showNamespace ? col - 1 : col;
          if (c < 0) return;
          setSort({ column: c, descending: effectiveSort.column === c ? !effectiveSort.descending : false });
        }}
        selectedKey={selectedKey}
        onSelect={select}
        onOpen={select}
        empty={
          <StateMessage
            kind="empty"
            title={
              filter
                ? `No ${label} match “${filter}”`
                : `No ${label}${namespaces.length === 1 ? ` in namespace ${namespaces[0]}` : ''}`
            }
          />
        }
      />
    );

  const total = view.total;
  return (
    <section className="resource-view" aria-label={`${label} table`}>
      <div className="view-toolbar">
        <h2 className="view-title">
          {resource?.kind ?? label}
          <span className="view-gvr">
            {route.gvr.group ? `${route.gvr.group}/` : ''}
            {route.gvr.version}
          </span>
        </h2>
        <output className="count" aria-label="row count" aria-live="off">
          {filter ? `${ordered.liveCount} of ${total}` : total} {total === 1 ? 'item' : 'items'}
        </output>
        <input
          type="search"
          className="filter-input"
          aria-label="Filter rows"
          placeholder="/ to filter"
          data-shortcut="row-filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setFilter('');
            if (e.key === 'Enter' || e.key === 'ArrowDown') {
              e.preventDefault();
              document.querySelector<HTMLElement>('[data-table-body]')?.focus();
            }
          }}
        />
        <SelectorInputs
          labelSelector={route.labelSelector}
          fieldSelector={route.fieldSelector}
          onApply={(labelSelector, fieldSelector) => navigate({ labelSelector, fieldSelector })}
        />
        {status && (
          <SyncIndicator
            phase={status.phase}
            resourceVersion={status.lastSyncRV}
            fromCache={status.fromCache}
            lastError={status.lastError}
            retryAt={status.retryAt}
            onRetry={retry}
            lastWatchActivity={() => oldestActivity(view.sources)}
          />
        )}
      </div>
      <div className="view-body">{body}</div>
    </section>
  );
}
