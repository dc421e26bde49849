// Hands the route store to the views. The app creates one store per page (main.tsx) or per test.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { RouteStore, RouteStoreState } from './route-store.ts';
import type { Route } from './route-url.ts';

export const RouteStoreContext = createContext<RouteStore | null>(null);

function useRouteStoreApi(): RouteStore {
  const store = useContext(RouteStoreContext);
  if (!store) throw new Error('useRoute: render inside <RouteStoreContext value={…}>');
  return store;
}

export function useRoute(): Route {
  return useStore(useRouteStoreApi(), (s) => s.route);
}

export function useNavigate(): RouteStoreState['navigate'] {
  return useStore(useRouteStoreApi(), (s) => s.navigate);
}
