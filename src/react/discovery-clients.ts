// One CachedDiscoveryClient per (context, cluster identity): the composition root decides where its
// entries live (IndexedDB scoped to server + user, or memory while the identity is unknown); this
// keeps one client per answer so its in-flight dedup and fresh() bookkeeping (DI-10..DI-12) hold.
import { CachedDiscoveryClient } from '../kube/discovery/cached-discovery.ts';
import type { DiscoveryCacheStorage } from '../kube/discovery/discovery-cache-storage.ts';
import { DiscoveryClient } from '../kube/discovery/discovery-client.ts';
import type { RESTClient } from '../kube/rest/rest-client.ts';
import type { DiscoveryFor } from './discovery-query.ts';

export interface DiscoveryClientsOptions {
  /** A RESTClient for the context (use discoveryRESTClientOptions: burst 300, 32 s timeout, DI-09). */
  restFor(context: string): RESTClient;
  /**
   * Where the context's entries live. `id` names the identity behind it: when it changes (the
   * context's server or user became known or changed) a new client is made.
   */
  storageFor(context: string): { id: string; storage: DiscoveryCacheStorage };
  ttlMs?: number;
}

export function discoveryClients(opts: DiscoveryClientsOptions): DiscoveryFor {
  const clients = new Map<string, CachedDiscoveryClient>();
  return (context) => {
    const { id, storage } = opts.storageFor(context);
    const key = JSON.stringify([context, id]);
    let client = clients.get(key);
    if (!client) {
      client = new CachedDiscoveryClient(
        new DiscoveryClient(opts.restFor(context)),
        storage,
        opts.ttlMs !== undefined ? { ttlMs: opts.ttlMs } : {},
      );
      clients.set(key, client);
    }
    return client;
  };
}
