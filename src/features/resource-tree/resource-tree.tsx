// The left-hand resource tree: every group (core first), every version (preferred marked, all
// browsable), every resource with kind, short names, scope and verbs. Discovery is a one-shot
// react-query read, refetched when CRDs change. `/` focuses the filter (app keyboard map).
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { discoveryQuery } from '../../react/discovery-query.ts';
import { useKubeEnvironment } from '../../react/kube-environment.ts';
import type { CatalogResource } from '../../react/resource-catalog.ts';
import { filterCatalog, resolveResource } from '../../react/resource-filter.ts';
import { useCrdRefresh } from '../../react/use-crd-refresh.ts';
import { accessId, useDenied } from '../../stores/access-store.ts';
import { useNavigate, useRoute } from '../../stores/route-context.ts';
import { StateMessage } from '../../ui/state-message.tsx';

export function ResourceTree() {
  const { discoveryFor } = useKubeEnvironment();
  const route = useRoute();
  const navigate = useNavigate();
  const denied = useDenied();
  const query = useQuery(discoveryQuery(discoveryFor, route.context));
  useCrdRefresh(route.context, query.isSuccess);
  const [filter, setFilter] = useState('');
  const [toggled, setToggled] = useState<ReadonlySet<string>>(new Set());
  const catalog = useMemo(
    () => (query.data ? filterCatalog(query.data, filter) : undefined),
    [query.data, filter],
  );

  const open = (r: CatalogResource) =>
    navigate({
      gvr: { group: r.group, version: r.version, resource: r.resource },
      selected: null,
      view: 'resources',
    });
  const isOpen = (id: string, byDefault: boolean) =>
    filter.trim() !== '' ? true : byDefault !== toggled.has(id);
  const toggle = (id: string) =>
    setToggled((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  let body: React.ReactNode;
  if (!route.context) body = <StateMessage kind="empty" title="Pick a context to browse its resources" />;
  else if (query.isPending) body = <StateMessage kind="loading" title="Discovering resources…" />;
  else if (query.isError)
    body = (
      <StateMessage
        kind="error"
        title="Discovery failed"
        detail={query.error.message}
        onRetry={() => void query.refetch()}
      />
    );
  else if (catalog && catalog.groups.length === 0)
    body = <StateMessage kind="empty" title={`No resource matches “${filter.trim()}”`} />;
  else if (catalog)
    body = (
      <ul aria-label="API resources" className="tree">
        {catalog.groups.map((g) => {
          const gid = `g:${g.name}`;
          const groupName = g.name || 'core';
          const groupOpen = isOpen(gid, g.name === '' || g.name === route.gvr?.group);
          return (
            <li key={gid}>
              <button
                type="button"
                className="tree-toggle"
                aria-expanded={groupOpen}
                aria-label={groupName}
                onClick={() => toggle(gid)}
              >
                <span className="chevron" aria-hidden="true">
                  {groupOpen ? '▾' : '▸'}
                </span>
                <span className="group-name">{groupName}</span>
              </button>
              {groupOpen && (
                <ul>
                  {g.versions.map((v) => {
                    const vid = `${gid}/${v.version}`;
                    const versionOpen = isOpen(vid, v.preferred);
                    return (
                      <li key={vid}>
                        <button
                          type="button"
                          className="tree-toggle version"
                          aria-expanded={versionOpen}
                          aria-label={`${groupName} ${v.version}${v.preferred ? ' (preferred)' : ''}`}
                          onClick={() => toggle(vid)}
                        >
                          <span className="chevron" aria-hidden="true">
                            {versionOpen ? '▾' : '▸'}
                          </span>
                          {v.version}
                          {v.preferred && (
                            <span className="badge" title="preferred version">
                              preferred
                            </span>
                          )}
                        </button>
                        {versionOpen && (
                          <ul>
                            {v.resources.map((r) => {
                              const current =
                                route.gvr?.group === r.group &&
                                route.gvr.version === r.version &&
                                route.gvr.resource === r.resource;
                              const isDenied =
                                route.context !== null && denied.has(accessId(route.context, r));
                              const listable = r.verbs.includes('list');
                              return (
                                <li key={r.resource}>
                                  <button
                                    type="button"
                                    className={`tree-resource${current ? ' current' : ''}`}
                                    aria-label={`${r.kind} (${r.resource})`}
                                    aria-current={current ? 'page' : undefined}
                                    disabled={!listable}
                                    onClick={() => open(r)}
                                    title={`${r.resource}${r.group ? `.${r.group}` : ''}/${r.version} · ${r.namespaced ? 'namespaced' : 'cluster-scoped'} · verbs: ${r.verbs.join(', ') || 'none'}${isDenied ? ' · you may not list it' : ''}`}
                                  >
                                    <span className="kind">{r.kind}</span>
                                    {r.shortNames.length > 0 && (
                                      <span className="short">{r.shortNames.join(',')}</span>
                                    )}
                                    {!r.namespaced && (
                                      <span className="scope" title="cluster-scoped">
                                        cluster
                                      </span>
                                    )}
                                    {isDenied && (
                                      <span className="denied" title="you may not list this resource">
                                        forbidden
                                      </span>
                                    )}
                                  </button>
                                </li>
                              );
                            })}
                          </ul>
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    );

  return (
    <nav className="resource-tree" aria-label="Resource tree">
      <input
        type="search"
        className="filter-input"
        aria-label="Filter resources"
        placeholder="Filter: po, deploy, widgets.example.com"
        value={filter}
        data-shortcut="resource-filter"
        onChange={(e) => setFilter(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && query.data) {
            const r = resolveResource(query.data, filter);
            if (r) open(r);
          } else if (e.key === 'Escape') setFilter('');
        }}
      />
      {query.data && query.data.failed.length > 0 && (
        <div className="tree-warning" role="status">
          Discovery failed for {query.data.failed.map((f) => f.groupVersion).join(', ')}
        </div>
      )}
      <div className="tree-scroll">{body}</div>
    </nav>
  );
}
