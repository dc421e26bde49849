// Ctrl/⌘-K: jump to any resource (by kind, plural, short name or group-qualified name, as in the
// tree filter) or to an object of the current view, or to the event stream.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { discoveryQuery } from '../../react/discovery-query.ts';
import { useKubeEnvironment } from '../../react/kube-environment.ts';
import { findResource, preferredResources } from '../../react/resource-catalog.ts';
import { resourceMatcher } from '../../react/resource-filter.ts';
import type { RowObject } from '../../react/server-table.ts';
import { useNavigate, useRoute } from '../../stores/route-context.ts';
import type { Route } from '../../stores/route-url.ts';
import { uiStore, useUi } from '../../stores/ui-store.ts';

interface Item {
  id: string;
  label: string;
  detail: string;
  go: Partial<Route>;
}

const MAX_ITEMS = 50;

export interface CommandPaletteProps {
  /**
   * Rows of the current view, for jumping to an object by name. A function: materialising every
   * row of a 100k-row view is O(rows), so it happens only while the palette is open.
   */
  rows: () => readonly RowObject[];
}

export function CommandPalette({ rows }: CommandPaletteProps) {
  const open = useUi((s) => s.paletteOpen);
  if (!open) return null;
  return <PaletteDialog rows={rows()} />;
}

function PaletteDialog({ rows }: { rows: readonly RowObject[] }) {
  const { discoveryFor } = useKubeEnvironment();
  const route = useRoute();
  const navigate = useNavigate();
  const catalog = useQuery(discoveryQuery(discoveryFor, route.context)).data;
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const close = () => uiStore.getState().setPaletteOpen(false);

  useEffect(() => inputRef.current?.focus(), []);

  const items = useMemo<Item[]>(() => {
    const q = query.trim().toLowerCase();
    const out: Item[] = [];
    if ('events'.includes(q) || q === 'ev')
      out.push({
        id: 'view:events',
        label: 'Event stream',
        detail: 'all events, live',
        go: { view: 'events', selected: null },
      });
    const resources = catalog ? preferredResources(catalog) : [];
    const match = catalog ? resourceMatcher(catalog, q) : () => null;
    const exact: Item[] = [];
    const partial: Item[] = [];
    for (const r of resources) {
      if (!r.verbs.includes('list')) continue;
      const m = match(r);
      if (!m) continue;
      const item = {
        id: `r:${r.group}/${r.version}/${r.resource}`,
        label: r.kind,
        detail: `${r.resource}${r.group ? `.${r.group}` : ''}/${r.version}${r.shortNames.length ? ` · ${r.shortNames.join(',')}` : ''}`,
        go: {
          view: 'resources' as const,
          gvr: { group: r.group, version: r.version, resource: r.resource },
          selected: null,
        },
      };
      (m === 'exact' ? exact : partial).push(item);
    }
    out.push(...exact, ...partial);
    if (q !== '') {
      // Rows of list views carry metadata only, so the kind comes from the view's resource.
      const viewKind = route.gvr ? findResource(catalog, route.gvr)?.kind : undefined;
      for (const row of rows) {
        const name = row.metadata.name ?? '';
        if (!name.toLowerCase().includes(q)) continue;
        const ns = row.metadata.namespace ?? '';
        out.push({
          id: `o:${ns}/${name}`,
          label: name,
          detail: `${row.kind ?? viewKind ?? 'object'}${ns ? ` in ${ns}` : ''}`,
          go: { selected: { namespace: ns, name } },
        });
        if (out.length >= MAX_ITEMS * 2) break;
      }
    }
    return out.slice(0, MAX_ITEMS);
  }, [catalog, rows, query, route.gvr]);

  const choose = (item: Item | undefined) => {
    if (!item) return;
    close();
    navigate(item.go);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: clicking outside closes the palette; Esc is the keyboard path
    <div className="palette-backdrop" onMouseDown={close}>
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-label="Command palette"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <input
          ref={inputRef}
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={items[active] ? `palette-${active}` : undefined}
          aria-label="Jump to resource or object"
          placeholder="Jump to… (pods, deploy, widgets.example.com, an object name)"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((a) => Math.min(items.length - 1, a + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(0, a - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              choose(items[active]);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              close();
            }
          }}
        />
        <div id="palette-list" role="listbox" aria-label="Matches" className="palette-list">
          {items.length === 0 && (
            <div className="muted">{catalog ? 'Nothing matches' : 'Loading resources…'}</div>
          )}
          {items.map((item, i) => (
            <div
              key={item.id}
              id={`palette-${i}`}
              role="option"
              tabIndex={-1}
              aria-selected={i === active}
              className="palette-item"
              // mousemove, not mouseenter: a list opening under a resting pointer must not steal the
              // keyboard's choice (Chromium fires mouseenter without any pointer movement).
              onMouseMove={() => setActive(i)}
              onClick={() => choose(item)}
              onKeyDown={() => {}}
            >
              <span className="palette-label">{item.label}</span>
              <span className="palette-detail">{item.detail}</span>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
