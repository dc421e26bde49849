// The current route as UI state, kept in step with the address bar (History API). The URL is the
// source of truth at start-up and on back/forward; every navigation goes through navigate(), which
// pushes (or replaces) one history entry. Holds no cluster data (style.md §2).

import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { EMPTY_ROUTE, formatRoute, parseRoute, type Route } from './route-url.ts';

export interface RouteStoreState {
  route: Route;
  /** Merge a partial route and record it in history. `replace` edits the current entry (typing in a filter). */
  navigate(patch: Partial<Route>, opts?: { replace?: boolean }): void;
}

/** The slice of `window.history` and `location` the store uses; injected so tests need no real browser history. */
export interface HistoryPort {
  readonly search: string;
  push(search: string): void;
  replace(search: string): void;
  /** Subscribe to back/forward; returns the unsubscribe. */
  onPop(listener: () => void): () => void;
}

export function browserHistory(win: Window = window): HistoryPort {
  const target = (search: string) => `${win.location.pathname}${search}${win.location.hash}`;
  return {
    get search() {
      return win.location.search;
    },
    push: (search) => win.history.pushState(null, '', target(search)),
    replace: (search) => win.history.replaceState(null, '', target(search)),
    onPop(listener) {
      win.addEventListener('popstate', listener);
      return () => win.removeEventListener('popstate', listener);
    },
  };
}

export type RouteStore = StoreApi<RouteStoreState> & { dispose(): void };

export function createRouteStore(history: HistoryPort): RouteStore {
  const store = createStore<RouteStoreState>()((set, get) => ({
    route: history.search ? parseRoute(history.search) : EMPTY_ROUTE,
    navigate(patch, opts) {
      const next: Route = { ...get().route, ...patch };
      const search = formatRoute(next);
      if (search === history.search) {
        set({ route: next });
        return;
      }
      if (opts?.replace) history.replace(search);
      else history.push(search);
      set({ route: next });
    },
  }));
  const off = history.onPop(() => store.setState({ route: parseRoute(history.search) }));
  return Object.assign(store, { dispose: off });
}

export function useRouteStore<T>(store: RouteStore, selector: (s: RouteStoreState) => T): T {
  return useStore(store, selector);
}
