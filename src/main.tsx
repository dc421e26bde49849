// Composition root: builds the per-context RESTClients, the informer factory and its live-source registry, the QueryClient
// and the route store, then renders <App/>. Nothing else constructs client machinery.
import { QueryClient } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { type ContextList, clusterBasePath } from '../proxy/contract/api.ts';
import { App } from './app/app.tsx';
import { Providers } from './app/providers.tsx';
import type { CacheKey } from './kube/cache/persistence.ts';
import type { NormalizedInformerKey } from './kube/cache/shared-informer-factory.ts';
import { MemoryDiscoveryCacheStorage } from './kube/discovery/discovery-cache-storage.ts';
import { discoveryRESTClientOptions } from './kube/discovery/discovery-client.ts';
import { RESTClient } from './kube/rest/rest-client.ts';
import { createWatchMuxTransport, watchMuxUrl } from './kube/rest/watch-mux-transport.ts';
import { IndexedDbDiscoveryStorage } from './persist/indexeddb-discovery-storage.ts';
import { IndexedDbInformerPersistence } from './persist/indexeddb-informer-persistence.ts';
import { PersistenceNotices } from './persist/persistence-notices.ts';
import { WorkerInformerPersistence } from './persist/worker/worker-informer-persistence.ts';
import { contextsQuery } from './react/contexts-query.ts';
import { discoveryClients } from './react/discovery-clients.ts';
import { discoveryQueryKey } from './react/discovery-query.ts';
import type { KubeEnvironment } from './react/kube-environment.ts';
import { retryOnResume } from './react/retry-on-resume.ts';
import { localStorageColumns, rowCacheKey } from './react/row-cache.ts';
import { createTableSourceRegistry } from './react/table-source-registry.ts';
import { browserHistory, createRouteStore } from './stores/route-store.ts';
import './styles/app.css';

// RC-03 client-side throttling, set deliberately (the bench's copy in bench/browser/pod-informer-run.ts
// must stay equal). client-go's default QPS 5 / burst 10 is sized for controllers that run
// unattended; an interactive client is kubectl's case, and kubectl raises its own client to QPS 50 /
// burst 300 (kubectlDefaultQPS / kubectlDefaultBurst). We take kubectl's numbers because:
// - a paged list costs one request per 500 objects, so the initial list of 50,000 pods is 100
//   requests; at the former 20 / 40 the token bucket alone held that list back for 3 s, longer than
//   the cluster needed to serve it. A burst of 300 lets a large list and a screenful of views start
//   at once; the 50/s refill still bounds a runaway loop (a bug re-listing forever) to 50 requests/s.
// - the real protection of the apiserver is on the server: API Priority and Fairness queues or
//   rejects with 429 + Retry-After, which the RESTClient honours (RC-04) and the reflector backs
//   off from. The client-side bucket is only a guard against our own bugs.
// Watches are never throttled (RC-03), so these numbers only pace lists, gets and writes.
const QPS = 50;
const BURST = 300;

// One WebSocket per tab carries every watch, Table watches included (the open frame carries the
// Accept header), so live views never hold the browser's six HTTP connections (BR-09).
const streamFetch = createWatchMuxTransport({
  url: watchMuxUrl(location.href),
  WebSocket: globalThis.WebSocket,
});

const clients = new Map<string, RESTClient>();
function clientFor(context: string): RESTClient {
  let client = clients.get(context);
  if (!client) {
    client = new RESTClient({ baseUrl: clusterBasePath(context), streamFetch, qps: QPS, burst: BURST });
    clients.set(context, client);
  }
  return client;
}

const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });
const fetchFn: KubeEnvironment['fetch'] = (input, init) => globalThis.fetch(input, init);

// BR-08: informer rows survive a reload in IndexedDB, keyed by the context's cluster identity
// (server URL + user) so a renamed or re-pointed context never sees another cluster's rows.
// No IndexedDB (private window) or a full disk is said once in the UI (features/storage), not per write.
const storageNotices = new PersistenceNotices();
// The IndexedDB writes (chunk rewrites under churn) run in a worker, off the main thread (issue 5);
// the page only stringifies changed objects. Warm-start reads use the page's own connection
// (directReads): a worker that read and posted the stored texts doubled their read time, and the
// page parses them either way. No Worker, or one that fails to start, leaves the same persistence
// running in the page.
const persistence = new WorkerInformerPersistence({
  createWorker:
    typeof Worker === 'undefined'
      ? undefined
      : () =>
          new Worker(new URL('./persist/worker/informer-persistence-worker.ts', import.meta.url), {
            type: 'module',
            name: 'kubeglass-persistence',
          }),
  fallback: () =>
    new IndexedDbInformerPersistence({ indexedDB: globalThis.indexedDB, notices: storageNotices }),
  notices: storageNotices,
  directReads: { indexedDB: globalThis.indexedDB },
});
function cacheKeyFor(key: NormalizedInformerKey): CacheKey | undefined {
  const list = queryClient.getQueryData<ContextList>(contextsQuery(fetchFn).queryKey);
  const info = list?.contexts.find((c) => c.name === key.context);
  if (!info || info.error) return undefined;
  return rowCacheKey(
    { context: info.name, server: info.server, user: info.user },
    key.gvr,
    key.namespace,
    key.labelSelector,
    key.fieldSelector,
  );
}

// DI-11: discovery answers live in IndexedDB for 10 minutes per cluster identity; until the
// context's identity is known they are kept in memory only.
const discoveryStorages = new Map<string, IndexedDbDiscoveryStorage>();
const memoryDiscovery = new MemoryDiscoveryCacheStorage();
const discoveryFor = discoveryClients({
  restFor: (context) => new RESTClient(discoveryRESTClientOptions({ baseUrl: clusterBasePath(context) })),
  storageFor(context) {
    const list = queryClient.getQueryData<ContextList>(contextsQuery(fetchFn).queryKey);
    const info = list?.contexts.find((c) => c.name === context);
    if (!info || info.error) return { id: 'memory', storage: memoryDiscovery };
    const scope = { context, server: info.server, user: info.user };
    const id = JSON.stringify([scope.server, scope.user]);
    let storage = discoveryStorages.get(`${context}\n${id}`);
    if (!storage) {
      storage = new IndexedDbDiscoveryStorage({
        indexedDB: globalThis.indexedDB,
        scope,
        notices: storageNotices,
      });
      discoveryStorages.set(`${context}\n${id}`, storage);
    }
    return { id, storage };
  },
});

// The app's one informer factory (issue 4): every live view — tables, details' children, events,
// the CRD watch — shares its informers, one per (context, GVR, namespace, selectors).
const sources = createTableSourceRegistry({
  clientFor,
  persistence: { store: persistence, cacheKeyFor },
  columns: localStorageColumns(globalThis.localStorage, cacheKeyFor),
  // DI-11: a resource that answers 404 was removed (a CRD deleted): discovery is out of date.
  onNotFound(key, error) {
    if (discoveryFor(key.context).invalidateOnNotFound(error))
      void queryClient.invalidateQueries({ queryKey: discoveryQueryKey(key.context) });
  },
});
// A read-only view of what every open view shows (key, sync status, rows as namespace/name/RV), for
// diagnostics from the console and the end-to-end fault suite. It holds no credential: the page
// already has this data. Each call returns fresh plain data; nothing can be changed through it.
Object.defineProperty(window, '__kubeglassInspect', {
  value: Object.freeze(() => sources.inspect()),
  enumerable: false,
  writable: false,
  configurable: false,
});
// BR-06: dead-looking watches restart at once when the tab is visible again or the network is back.
retryOnResume({ document, window }, () => sources.retryNow());

const environment: KubeEnvironment = { fetch: fetchFn, discoveryFor, sources, storageNotices };
const routeStore = createRouteStore(browserHistory());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <Providers queryClient={queryClient} environment={environment} routeStore={routeStore}>
      <App />
    </Providers>
  </StrictMode>,
);
