// The namespace selector: all namespaces, one, or several. The list of namespaces is itself live
// (a shared informer on v1 namespaces); when the user may not list namespaces, a name can still be
// typed. The context's default namespace is what a URL without `ns` shows.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { contextsQuery } from '../../react/contexts-query.ts';
import { useKubeEnvironment } from '../../react/kube-environment.ts';
import type { TableSourceKey } from '../../react/table-source-registry.ts';
import { useLiveView } from '../../react/use-live-sources.ts';
import { useNavigate, useRoute } from '../../stores/route-context.ts';
import { type NamespaceChoice, resolveNamespaces } from '../../stores/route-url.ts';

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };

export function describeChoice(choice: NamespaceChoice, contextDefault: string | undefined): string {
  if (choice.kind === 'all') return 'all namespaces';
  const names = resolveNamespaces(choice, contextDefault);
  if (names.length === 0) return '…';
  return names.length <= 2 ? names.join(', ') : `${names.length} namespaces`;
}

export function NamespaceSelector() {
  const { fetch } = useKubeEnvironment();
  const route = useRoute();
  const navigate = useNavigate();
  const contexts = useQuery(contextsQuery(fetch));
  const contextDefault = contexts.data?.contexts.find((c) => c.name === route.context)?.namespace;
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const rootRef = useRef<HTMLDivElement>(null);
  const keys = useMemo<TableSourceKey[]>(
    () =>
      route.context && open
        ? [{ context: route.context, gvr: NAMESPACES, namespace: '', labelSelector: '', fieldSelector: '' }]
        : [],
    [route.context, open],
  );
  const view = useLiveView(keys);
  const known = useMemo(() => view.rows.map((r) => r.metadata.name ?? '').sort(), [view.rows]);
  const chosen = new Set(
    route.namespaces.kind === 'all' ? [] : resolveNamespaces(route.namespaces, contextDefault),
  );
  const names = [...new Set([...known, ...chosen])].sort();
  const denied = view.statuses[0]?.phase === 'forbidden';

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const set = (next: string[]) =>
    navigate({
      namespaces: next.length === 0 ? { kind: 'all' } : { kind: 'some', names: next },
      selected: null,
    });
  const toggle = (name: string) => {
    const next = new Set(chosen);
    if (!next.delete(name)) next.add(name);
    set([...next].sort());
  };

  return (
    <div className="namespace-selector" ref={rootRef}>
      <button
        type="button"
        className="header-button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-label={`Namespaces: ${describeChoice(route.namespaces, contextDefault)}`}
        disabled={!route.context}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="header-label">namespace</span>
        <span className="header-value">{describeChoice(route.namespaces, contextDefault)}</span>
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="popover" role="dialog" aria-label="Choose namespaces">
          <fieldset className="namespace-list">
            <legend>Namespaces</legend>
            <label className="check">
              <input
                type="checkbox"
                checked={route.namespaces.kind === 'all'}
                onChange={() =>
                  route.namespaces.kind === 'all' ? navigate({ namespaces: { kind: 'default' } }) : set([])
                }
              />
              All namespaces
            </label>
            {names.map((name) => (
              <label key={name} className="check">
                <input type="checkbox" checked={chosen.has(name)} onChange={() => toggle(name)} />
                {name}
                {name === contextDefault && <span className="badge">default</span>}
              </label>
            ))}
          </fieldset>
          {denied && <p className="hint">You may not list namespaces; type one below.</p>}
          <form
            className="namespace-add"
            onSubmit={(e) => {
              e.preventDefault();
              const name = typed.trim();
              if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
                set([...new Set([...chosen, name])].sort());
                setTyped('');
              }
            }}
          >
            <input
              aria-label="Add namespace"
              placeholder="namespace name"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
            <button type="submit" className="button">
              Add
            </button>
          </form>
        </div>
      )}
    </div>
  );
}
