// Renders a view against the FakeCluster through the real machinery (RESTClient → TableLister-
// Watcher → factory's SharedIndexInformer → InformerLiveSource → hooks), with MSW answering the network. Test support only.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryDiscoveryCacheStorage } from '../../kube/discovery/discovery-cache-storage.ts';
import { RESTClient } from '../../kube/rest/rest-client.ts';
import { RouteStoreContext } from '../../stores/route-context.ts';
import { createRouteStore, type HistoryPort, type RouteStore } from '../../stores/route-store.ts';
import { discoveryClients } from '../discovery-clients.ts';
import { type KubeEnvironment, KubeEnvironmentContext } from '../kube-environment.ts';
import { createTableSourceRegistry, type TableSourceRegistry } from '../table-source-registry.ts';

const ORIGIN = 'http://localhost:3000';

/** An in-memory History API stand-in. */
export function memoryHistory(initial = ''): HistoryPort & { entries: string[] } {
  const entries = [initial];
  let index = 0;
  return {
    entries,
    get search() {
      return entries[index] ?? '';
    },
    push(search) {
      entries.splice(index + 1);
      entries.push(search);
      index++;
    },
    replace(search) {
      entries[index] = search;
    },
    onPop: () => () => {},
  };
}

export interface Rendered {
  routeStore: RouteStore;
  registry: TableSourceRegistry;
  queryClient: QueryClient;
  unmount(): void;
}

export function renderWithCluster(ui: ReactNode, opts: { search?: string } = {}): Rendered {
  // Last-known query copies (local-cache.ts) must not leak from one test into the next.
  globalThis.localStorage?.clear();
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } },
  });
  const registry = createTableSourceRegistry({
    clientFor: (context) =>
      new RESTClient({
        baseUrl: `${ORIGIN}/clusters/${encodeURIComponent(context)}`,
        qps: -1,
        maxRetries: 0,
      }),
    idleGraceMs: 0,
    warn: () => {},
  });
  // Discovery goes through the real DiscoveryClient/CachedDiscoveryClient, kept in memory.
  const storage = new MemoryDiscoveryCacheStorage();
  const discoveryFor = discoveryClients({
    restFor: (context) =>
      new RESTClient({
        baseUrl: `${ORIGIN}/clusters/${encodeURIComponent(context)}`,
        qps: -1,
        maxRetries: 0,
      }),
    storageFor: () => ({ id: 'memory', storage }),
  });
  const environment: KubeEnvironment = {
    fetch: (input, init) => globalThis.fetch(new URL(input, ORIGIN).toString(), init),
    discoveryFor,
    sources: registry,
  };
  const routeStore = createRouteStore(memoryHistory(opts.search ?? ''));
  const result = render(
    <QueryClientProvider client={queryClient}>
      <KubeEnvironmentContext value={environment}>
        <RouteStoreContext value={routeStore}>{ui}</RouteStoreContext>
      </KubeEnvironmentContext>
    </QueryClientProvider>,
  );
  return {
    routeStore,
    registry,
    queryClient,
    unmount: () => {
      result.unmount();
      void registry.stopAll();
      queryClient.clear();
    },
  };
}

/** Give the virtualizer a viewport: jsdom has no layout, so every clientHeight is 0. */
export function fakeTableViewport(height = 520, width = 1000): () => void {
  const proto = HTMLElement.prototype;
  const h = Object.getOwnPropertyDescriptor(proto, 'clientHeight');
  const w = Object.getOwnPropertyDescriptor(proto, 'clientWidth');
  Object.defineProperty(proto, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.hasAttribute('data-table-body') ? height : 0;
    },
  });
  Object.defineProperty(proto, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.hasAttribute('data-table-body') ? width : 0;
    },
  });
  return () => {
    if (h) Object.defineProperty(proto, 'clientHeight', h);
    if (w) Object.defineProperty(proto, 'clientWidth', w);
  };
}
