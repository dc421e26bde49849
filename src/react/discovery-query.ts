// Discovery as a one-shot read (react-query) over src/kube/discovery: a CachedDiscoveryClient per
// context (DiscoveryClient underneath: aggregated when the server offers it, legacy otherwise,
// DI-01..DI-07), whose answers live in IndexedDB for the project's 10-minute TTL (DI-11) and are
// invalidated when a discovered resource answers 404. Partial failure keeps the rest (DI-07).
// react-query stays the cache views read from; the catalog is the tree's model of the answer.
import { queryOptions } from '@tanstack/react-query';
import type { CachedDiscoveryClient } from '../kube/discovery/cached-discovery.ts';
import { groupsAndResourcesAllowingPartial } from '../kube/discovery/discovery-client.ts';
import { readLocal, writeLocal } from './local-cache.ts';
import { catalogFromDiscovery, type ResourceCatalog } from './resource-catalog.ts';

/** The discovery client of a context (one per cluster identity, made by the composition root). */
export type DiscoveryFor = (context: string) => CachedDiscoveryClient;

export async function fetchCatalog(
  discoveryFor: DiscoveryFor,
  context: string,
  signal?: AbortSignal,
): Promise<ResourceCatalog> {
  return catalogFromDiscovery(await groupsAndResourcesAllowingPartial(discoveryFor(context), signal));
}

function isCatalog(value: unknown): value is ResourceCatalog {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as ResourceCatalog).groups) &&
    Array.isArray((value as ResourceCatalog).failed)
  );
}

export function discoveryQueryKey(context: string | null) {
  return ['discovery', context] as const;
}

export function discoveryQuery(discoveryFor: DiscoveryFor, context: string | null) {
  return queryOptions({
    queryKey: discoveryQueryKey(context),
    queryFn: async ({ signal }) => {
      const catalog = await fetchCatalog(discoveryFor, context ?? '', signal);
      writeLocal(`discovery:${context}`, catalog);
      return catalog;
    },
    // The last catalog from localStorage paints the tree at once; the query then asks the
    // discovery client, which answers from IndexedDB within the TTL.
    initialData: () => (context ? readLocal(`discovery:${context}`, isCatalog) : undefined),
    initialDataUpdatedAt: 0,
    enabled: context !== null,
    staleTime: 10 * 60_000, // the project's 10 min discovery TTL (semantics §15)
    // Two quick retries for a flaky proxy; never for 401/403 (style habit 7).
    retry: (failures, err) =>
      failures < 2 &&
      !(typeof err === 'object' && err !== null && [401, 403].includes((err as { code?: number }).code ?? 0)),
    retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 5000),
  });
}
