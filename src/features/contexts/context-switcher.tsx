// The context switcher: every kubeconfig context from GET /-/contexts, the current one first, each
// with its reachability (probed when the list opens). Choosing a context keeps the resource type
// and resets the namespaces to the context's default.
import { useQueries, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ContextInfo } from '../../../proxy/contract/api.ts';
import { type ContextHealth, contextHealthQuery } from '../../react/context-health-query.ts';
import { contextsQuery, orderContexts } from '../../react/contexts-query.ts';
import { useKubeEnvironment } from '../../react/kube-environment.ts';
import { useNavigate, useRoute } from '../../stores/route-context.ts';

export function healthText(
  context: ContextInfo,
  health: ContextHealth | undefined,
  pending: boolean,
): string {
  if (context.error) return `misconfigured: ${context.error}`;
  if (pending || !health) return 'connecting…';
  switch (health.state) {
    case 'connected':
      return health.version ? `connected · ${health.version}` : 'connected';
    case 'expired':
      return 'credentials expired';
    case 'forbidden':
      return 'forbidden';
    case 'unreachable':
      return `unreachable: ${health.message}`;
  }
}

export function ContextSwitcher() {
  const { fetch } = useKubeEnvironment();
  const route = useRoute();
  const navigate = useNavigate();
  const list = useQuery(contextsQuery(fetch));
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const contexts = list.data ? orderContexts(list.data) : [];
  const health = useQueries({
    queries: contexts.map((c) => ({ ...contextHealthQuery(fetch, c.name), enabled: open && !c.error })),
  });

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const choose = (name: string) => {
    setOpen(false);
    if (name !== route.context) navigate({ context: name, namespaces: { kind: 'default' }, selected: null });
  };

  const current = contexts.find((c) => c.name === route.context);
  return (
    <div className="context-switcher" ref={rootRef}>
      <button
        type="button"
        className="header-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-label={`Context: ${route.context ?? 'none'}`}
        onClick={() => setOpen((o) => !o)}
        disabled={!list.data}
      >
        <span className="header-label">context</span>
        <span className="header-value">{list.isPending ? 'loading…' : (route.context ?? 'choose')}</span>
        {current?.simulated && <span className="badge">sim</span>}
        <span aria-hidden="true">▾</span>
      </button>
      {list.isError && (
        <span role="alert" className="inline-error">
          Could not load contexts: {list.error.message}{' '}
          <button type="button" className="link-button" onClick={() => void list.refetch()}>
            Retry
          </button>
        </span>
      )}
      {open && (
        <div className="popover">
          <div role="listbox" aria-label="Contexts" className="context-list">
            {contexts.map((c, i) => {
              const h = health[i];
              const state = c.error
                ? 'misconfigured'
                : h?.isPending
                  ? 'connecting'
                  : (h?.data?.state ?? 'connecting');
              return (
                <div
                  key={c.name}
                  role="option"
                  aria-selected={c.name === route.context}
                  aria-disabled={Boolean(c.error)}
                  tabIndex={-1}
                  className={`context-option state-${state}`}
                  onClick={() => !c.error && choose(c.name)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' && !c.error) choose(c.name);
                  }}
                >
                  <span className="dot" aria-hidden="true" />
                  <span className="context-name">
                    {c.name}
                    {c.name === list.data?.current && <span className="badge">current</span>}
                  </span>
                  <span className="context-meta">
                    {c.cluster} · {c.server} · ns {c.namespace}
                  </span>
                  <span className="context-state">{healthText(c, h?.data, h?.isPending ?? true)}</span>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
