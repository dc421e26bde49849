// The providers every view needs: react-query (one-shot reads), the client machinery (live
// sources) and the route store.
//
// Architecture decisions for the explorer UI (issue 5), recorded beside the composition so the
// reasons travel with the code; each one names where it is implemented.
//
// 1. Informers live in the page's main thread. The proxy's WebSocket multiplexer (watch-mux)
//    carries every watch over one socket, so the browser's six-connections-per-origin limit
//    (BR-09) no longer forces watches into a worker or a SharedWorker. The composition root
//    (main.tsx) makes ONE DynamicSharedInformerFactory (src/kube/cache) for the app: one
//    SharedIndexInformer per (context, GVR, namespace, label selector, field selector), shared by
//    every view that shows it (tables, details' children via the owner-UID index, events, the CRD
//    watch), warm-started from IndexedDB (src/persist) and stopped after the factory's idle grace
//    once the last view let go: react/table-source-registry.ts, react/informer-live-source.ts.
//    BR-06: `visibilitychange` → visible and `online` call the factory's retryNow():
//    react/retry-on-resume.ts.
//
// 2. Views receive changes batched per animation frame, never one render per watch event. The
//    informer's batched change notification feeds a previous-version map that tells added,
//    modified and deleted rows apart in O(1) per key; one flush per frame publishes a snapshot and
//    one ChangeBatch: react/informer-live-source.ts, react/use-live-sources.ts
//    (useSyncExternalStore). The table keeps its order incrementally (binary insertion per changed
//    row, a full sort only when the sort column changes): features/resource-table/ordered-row-index.ts.
//
// 3. Tables are windowed: only the visible rows (plus overscan) are in the DOM, and with one fixed
//    row height the window costs O(1) per frame at any row count: ui/fixed-row-window.ts,
//    ui/live-table.tsx.
//
// 4. Cells come from the server. Each table's informer runs on a ListerWatcher that asks for
//    `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`, for the list and for the watch, so
//    every row carries the server's cells (kubectl's columns, CRD printer columns) and the
//    object's metadata (includeObject=Metadata), keyed by the object's namespace/name. Full
//    objects are held only where a view reads them: the details panel watches its one object by
//    name, and events keep theirs (react/row-object-level.ts). No client-side re-implementation
//    of printers: react/table-lister-watcher.ts. The one exception is Age, recomputed from
//    creationTimestamp so it keeps ticking between watch events.
//
// 5. Informer data is never copied into zustand or react-query. react-query holds one-shot reads
//    (contexts, /version probes, and discovery from src/kube/discovery's CachedDiscoveryClient with
//    IndexedDB storage and the RESTMapper for names: react/discovery-query.ts, resource-filter.ts); zustand holds UI state (route, denied resources);
//    the informers' stores are the single source of truth for watched objects.
//
// 6. The URL is the view state (deep links): stores/route-url.ts encodes context, GVR,
//    namespaces, selectors, the selected object and the main view in the query string; the History
//    API keeps it in step (stores/route-store.ts). No router library.
import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type KubeEnvironment, KubeEnvironmentContext } from '../react/kube-environment.ts';
import { RouteStoreContext } from '../stores/route-context.ts';
import type { RouteStore } from '../stores/route-store.ts';

export interface ProvidersProps {
  queryClient: QueryClient;
  environment: KubeEnvironment;
  routeStore: RouteStore;
  children: ReactNode;
}

export function Providers({ queryClient, environment, routeStore, children }: ProvidersProps) {
  return (
    <QueryClientProvider client={queryClient}>
      <KubeEnvironmentContext value={environment}>
        <RouteStoreContext value={routeStore}>{children}</RouteStoreContext>
      </KubeEnvironmentContext>
    </QueryClientProvider>
  );
}
