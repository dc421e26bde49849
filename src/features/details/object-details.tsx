// Object details: live YAML (managedFields collapsed), metadata, labels, annotations, conditions,
// owner references as links, children (from the owner-UID index of the child kind's informer)
// and the object's events. Everything reads the informers, so it all updates live.
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { GroupVersionResource, KubeObject } from '../../kube/api/types.ts';
import { discoveryQuery } from '../../react/discovery-query.ts';
import { eventFields } from '../../react/event-fields.ts';
import { useKubeEnvironment } from '../../react/kube-environment.ts';
import { resourceForKind } from '../../react/resource-catalog.ts';
import { detailsFieldSelector } from '../../react/row-object-level.ts';
import type { TableSourceKey } from '../../react/table-source-registry.ts';
import { useLiveView } from '../../react/use-live-sources.ts';
import { useNavigate, useRoute } from '../../stores/route-context.ts';
import { ageOf } from '../../ui/human-duration.ts';
import { StateMessage } from '../../ui/state-message.tsx';
import { YamlView } from '../../ui/yaml-view.tsx';
import { managedFieldsCount, objectYaml } from './object-yaml.ts';

/** The kinds whose objects own the listed child resource (controllers' usual children). */
const CHILDREN: Record<string, GroupVersionResource> = {
  Deployment: { group: 'apps', version: 'v1', resource: 'replicasets' },
  ReplicaSet: { group: '', version: 'v1', resource: 'pods' },
  StatefulSet: { group: '', version: 'v1', resource: 'pods' },
  DaemonSet: { group: '', version: 'v1', resource: 'pods' },
  Job: { group: '', version: 'v1', resource: 'pods' },
  CronJob: { group: 'batch', version: 'v1', resource: 'jobs' },
};
const EVENTS: GroupVersionResource = { group: '', version: 'v1', resource: 'events' };

type Tab = 'overview' | 'yaml' | 'events';

/**
 * The selected object's own live source: a watch on that one object by name (full objects, not the
 * table's metadata rows, row-object-level.ts). Shared with any other view of the same key.
 */
function useSelectedObject(): { obj: KubeObject | undefined; phase: string | undefined } {
  const route = useRoute();
  const sel = route.selected;
  const gvr = route.gvr;
  const keys = useMemo<TableSourceKey[]>(
    () =>
      route.context && gvr && sel
        ? [
            {
              context: route.context,
              gvr,
              namespace: sel.namespace ?? '',
              labelSelector: '',
              fieldSelector: detailsFieldSelector(sel.name),
            },
          ]
        : [],
    [route.context, gvr, sel],
  );
  const view = useLiveView(keys);
  const key = sel ? (sel.namespace ? `${sel.namespace}/${sel.name}` : sel.name) : '';
  return { obj: view.sources[0]?.get(key)?.object, phase: view.statuses[0]?.phase };
}

export function ObjectDetails() {
  const route = useRoute();
  const navigate = useNavigate();
  const [tab, setTab] = useState<Tab>('overview');
  const [showManaged, setShowManaged] = useState(false);
  const sel = route.selected;
  const { obj, phase } = useSelectedObject();
  const close = () => navigate({ selected: null });

  if (!sel) return null;
  return (
    <aside className="details" aria-label="Object details">
      <header className="details-head">
        <div>
          <div className="details-kind">{obj?.kind ?? route.gvr?.resource}</div>
          <h2 className="details-name">{sel.name}</h2>
          {sel.namespace && <div className="details-ns">namespace {sel.namespace}</div>}
        </div>
        <button type="button" className="icon-button" aria-label="Close details" onClick={close}>
          ✕
        </button>
      </header>
      <div role="tablist" aria-label="Detail views" className="tabs">
        {(['overview', 'yaml', 'events'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t === 'yaml' ? 'YAML' : t[0]!.toUpperCase() + t.slice(1)}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="details-body" aria-label={tab}>
        {!obj ? (
          <Missing name={sel.name} phase={phase} />
        ) : tab === 'overview' ? (
          <Overview obj={obj} />
        ) : tab === 'yaml' ? (
          <>
            <label className="check">
              <input
                type="checkbox"
                checked={showManaged}
                onChange={(e) => setShowManaged(e.target.checked)}
              />
              Show managedFields ({managedFieldsCount(obj)})
            </label>
            <YamlView label={`YAML of ${sel.name}`} text={objectYaml(obj, showManaged)} />
          </>
        ) : (
          <ObjectEvents obj={obj} />
        )}
      </div>
    </aside>
  );
}

function Missing({ name, phase }: { name: string; phase: string | undefined }) {
  if (phase === 'listing' || phase === undefined)
    return <StateMessage kind="loading" title={`Loading ${name}…`} />;
  if (phase === 'forbidden') return <StateMessage kind="forbidden" title={`You may not read ${name}`} />;
  if (phase === 'unauthorized')
    return <StateMessage kind="expired" title={`The credentials were rejected while reading ${name}`} />;
  if (phase === 'synced')
    return <StateMessage kind="empty" title={`${name} does not exist`} detail="It may have been deleted." />;
  return <StateMessage kind="error" title={`${name} cannot be loaded right now`} detail="Retrying." />;
}

function Overview({ obj }: { obj: KubeObject }) {
  const meta = obj.metadata ?? {};
  const conditions = ((obj.status as { conditions?: unknown } | undefined)?.conditions ?? []) as Record<
    string,
    unknown
  >[];
  return (
    <div className="overview">
      <dl className="meta-grid">
        <dt>Created</dt>
        <dd>
          {meta.creationTimestamp} ({ageOf(meta.creationTimestamp, Date.now())} ago)
        </dd>
        <dt>UID</dt>
        <dd className="mono">{meta.uid}</dd>
        <dt>Resource version</dt>
        <dd className="mono">{meta.resourceVersion}</dd>
        {meta.deletionTimestamp && (
          <>
            <dt>Deleting since</dt>
            <dd>{meta.deletionTimestamp}</dd>
          </>
        )}
      </dl>
      <KeyValues title="Labels" values={meta.labels} />
      <KeyValues title="Annotations" values={meta.annotations} collapsed />
      {Array.isArray(conditions) && conditions.length > 0 && (
        <section aria-label="Conditions">
          <h3>Conditions</h3>
          <table className="mini-table">
            <thead>
              <tr>
                <th>Type</th>
                <th>Status</th>
                <th>Reason</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {conditions.map((c) => (
                <tr key={String(c.type)} className={c.status === 'True' ? '' : 'cond-false'}>
                  <td>{String(c.type ?? '')}</td>
                  <td>{String(c.status ?? '')}</td>
                  <td>{String(c.reason ?? '')}</td>
                  <td>{String(c.message ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <Owners obj={obj} />
      <Children obj={obj} />
    </div>
  );
}

function KeyValues({
  title,
  values,
  collapsed,
}: {
  title: string;
  values?: Record<string, string>;
  collapsed?: boolean;
}) {
  const entries = Object.entries(values ?? {});
  if (entries.length === 0) return null;
  const list = (
    <ul className="chips">
      {entries.map(([k, v]) => (
        <li key={k} className="chip" title={`${k}=${v}`}>
          <span className="chip-key">{k}</span>
          {v !== '' && <span className="chip-value">{v.length > 120 ? `${v.slice(0, 120)}…` : v}</span>}
        </li>
      ))}
    </ul>
  );
  return (
    <section aria-label={title}>
      {collapsed ? (
        <details>
          <summary>
            {title} ({entries.length})
          </summary>
          {list}
        </details>
      ) : (
        <>
          <h3>{title}</h3>
          {list}
        </>
      )}
    </section>
  );
}

function Owners({ obj }: { obj: KubeObject }) {
  const { discoveryFor } = useKubeEnvironment();
  const route = useRoute();
  const navigate = useNavigate();
  const catalog = useQuery(discoveryQuery(discoveryFor, route.context)).data;
  const owners = obj.metadata?.ownerReferences ?? [];
  if (owners.length === 0) return null;
  return (
    <section aria-label="Owners">
      <h3>Owned by</h3>
      <ul className="link-list">
        {owners.map((o) => {
          const r = resourceForKind(catalog, o.apiVersion, o.kind);
          const ns = r?.namespaced ? (obj.metadata?.namespace ?? '') : '';
          return (
            <li key={o.uid}>
              {r ? (
                <button
                  type="button"
                  className="link-button"
                  onClick={() =>
                    navigate({
                      gvr: { group: r.group, version: r.version, resource: r.resource },
                      selected: { namespace: ns, name: o.name },
                    })
                  }
                >
                  {o.kind} {o.name}
                </button>
              ) : (
                <span>
                  {o.kind} {o.name}
                </span>
              )}
              {o.controller && <span className="badge">controller</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Children({ obj }: { obj: KubeObject }) {
  const route = useRoute();
  const navigate = useNavigate();
  const childGvr = obj.kind ? CHILDREN[obj.kind] : undefined;
  const ns = obj.metadata?.namespace ?? '';
  const uid = obj.metadata?.uid ?? '';
  const keys = useMemo<TableSourceKey[]>(
    () =>
      route.context && childGvr && uid
        ? [{ context: route.context, gvr: childGvr, namespace: ns, labelSelector: '', fieldSelector: '' }]
        : [],
    [route.context, childGvr, ns, uid],
  );
  const view = useLiveView(keys);
  if (!childGvr) return null;
  const children = view.sources.length > 0 ? view.sources[0]!.childrenOf(uid) : [];
  return (
    <section aria-label="Children">
      <h3>
        {childGvr.resource} owned by this ({children.length})
      </h3>
      <ul className="link-list">
        {children.map((c) => (
          <li key={c.metadata.uid ?? c.metadata.name}>
            <button
              type="button"
              className="link-button"
              onClick={() =>
                navigate({ gvr: childGvr, selected: { namespace: ns, name: c.metadata.name ?? '' } })
              }
            >
              {c.metadata.name}
            </button>
            <span className="muted"> {c.cells.slice(1, 3).map(String).join(' · ')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ObjectEvents({ obj }: { obj: KubeObject }) {
  const route = useRoute();
  const ns = obj.metadata?.namespace ?? '';
  const uid = obj.metadata?.uid ?? '';
  const keys = useMemo<TableSourceKey[]>(
    () =>
      route.context
        ? [{ context: route.context, gvr: EVENTS, namespace: ns, labelSelector: '', fieldSelector: '' }]
        : [],
    [route.context, ns],
  );
  const view = useLiveView(keys);
  const events = useMemo(
    () =>
      view.rows
        .map((r) => eventFields(r.object))
        .filter(
          (e) => e.involved.uid === uid || (e.involved.uid === '' && e.involved.name === obj.metadata?.name),
        )
        .sort((a, b) => b.last - a.last),
    [view.rows, uid, obj.metadata?.name],
  );
  if (view.statuses[0]?.phase === 'forbidden')
    return <StateMessage kind="forbidden" title="You may not list events here" />;
  if (events.length === 0) return <StateMessage kind="empty" title="No events for this object" />;
  return (
    <ul className="event-list" aria-label="Object events">
      {events.map((e, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: events may repeat reason and time
        <li key={i} className={e.type === 'Warning' ? 'event warning' : 'event'}>
          <span className="event-type">{e.type}</span>
          <span className="event-reason">{e.reason}</span>
          <span className="event-age">{e.last ? ageOf(new Date(e.last).toISOString(), Date.now()) : ''}</span>
          {e.count > 1 && <span className="muted">×{e.count}</span>}
          <div className="event-message">{e.message}</div>
        </li>
      ))}
    </ul>
  );
}
