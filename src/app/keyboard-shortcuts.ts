// The global keyboard map: `/` focuses the filter, j/k and arrows move in the table, Enter opens,
// Esc goes back (closes the palette, then the details), Ctrl/⌘-K opens the command palette.
// Keys typed into inputs are left alone, except Esc and Ctrl/⌘-K.
import { useEffect } from 'react';
import type { RouteStore } from '../stores/route-store.ts';
import { uiStore } from '../stores/ui-store.ts';

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

export function useKeyboardShortcuts(routeStore: RouteStore, doc: Document = document): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        uiStore.getState().setPaletteOpen(!uiStore.getState().paletteOpen);
        return;
      }
      if (e.key === 'Escape') {
        if (uiStore.getState().paletteOpen) {
          uiStore.getState().setPaletteOpen(false);
          return;
        }
        if (!typingIn(e.target) && routeStore.getState().route.selected) {
          routeStore.getState().navigate({ selected: null });
        }
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || typingIn(e.target)) return;
      if (e.key === '/') {
        const filter =
          doc.querySelector<HTMLElement>('[data-shortcut="row-filter"]') ??
          doc.querySelector<HTMLElement>('[data-shortcut="resource-filter"]');
        if (filter) {
          e.preventDefault();
          filter.focus();
        }
        return;
      }
      const body = doc.querySelector<HTMLElement>('[data-table-body]');
      if (!body || body.contains(e.target as Node)) return;
      if (['j', 'k', 'ArrowDown', 'ArrowUp', 'Enter', 'Home', 'End'].includes(e.key)) {
        // Hand the key to the table: focus it and replay the key there (its handler moves the row).
        e.preventDefault();
        body.focus();
        body.dispatchEvent(new KeyboardEvent('keydown', { key: e.key, bubbles: true }));
      }
    };
    doc.addEventListener('keydown', onKeyDown);
    return () => doc.removeEventListener('keydown', onKeyDown);
  }, [routeStore, doc]);
}
