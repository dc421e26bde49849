// Composition root: builds the per-context RESTClients, the live-source registry, the QueryClient
// and the route store, then renders <App/>. Nothing else constructs client machinery.
import { QueryClient } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { clusterBasePath } from '../proxy/contract/api.ts';
import { App } from './app/app.tsx';
import { Providers } from './app/providers.tsx';
import { RESTClient } from './kube/rest/rest-client.ts';
import type { KubeEnvironment } from './react/kube-environment.ts';
import { TableSourceRegistry } from './react/table-source-registry.ts';
import { browserHistory, createRouteStore } from './stores/route-store.ts';
import './styles/app.css';

// An interactive explorer starts several lists at once (view, namespaces, CRDs, children); the
// client-go default of QPS 5 / burst 10 (RC-03) would queue them behind each other for seconds.
const QPS = 20;
const BURST = 40;

const clients = new Map<string, RESTClient>();
function clientFor(context: string): RESTClient {
  let client = clients.get(context);
  if (!client) {
    // Watches use the same fetch until the watch-mux transport (src/kube/rest) is wired in here
    // as `streamFetch`; then every watch shares one WebSocket (BR-09).
    client = new RESTClient({ baseUrl: clusterBasePath(context), qps: QPS, burst: BURST });
    clients.set(context, client);
  }
  return client;
}

const environment: KubeEnvironment = {
  fetch: (input, init) => globalThis.fetch(input, init),
  sources: new TableSourceRegistry({ clientFor }),
};
const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });
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
