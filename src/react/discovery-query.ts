// Discovery as a one-shot read (react-query): GET /api and /apis through the proxy, aggregated
// when the server says so by Content-Type/kind (DI-01, DI-02), legacy per-group-version otherwise
// (DI-06, fetched in parallel; partial failure keeps the rest, DI-07). A 404 on /api is an empty
// core group (DI-03).
import { queryOptions } from '@tanstack/react-query';
import { clusterBasePath } from '../../proxy/contract/api.ts';
import { statusErrorFromResponse } from '../kube/rest/status-error.ts';
import type { FetchLike } from './kube-environment.ts';
import { readLocal, writeLocal } from './local-cache.ts';
import {
  buildCatalog,
  type CatalogGroup,
  groupsFromAggregated,
  type ResourceCatalog,
  versionFromResourceList,
} from './resource-catalog.ts';

const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' +
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

async function getJson(
  fetch: FetchLike,
  url: string,
  accept: string,
  signal?: AbortSignal,
): Promise<unknown> {
  const res = await fetch(url, { headers: { accept }, signal, cache: 'no-store' });
  const text = await res.text();
  if (!res.ok)
    throw statusErrorFromResponse(res.status, text, { retryAfter: res.headers.get('retry-after') });
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${url} did not return JSON`);
  }
}

const kindOf = (doc: unknown) =>
  typeof doc === 'object' && doc !== null ? (doc as { kind?: unknown }).kind : undefined;

export async function fetchCatalog(
  fetch: FetchLike,
  context: string,
  signal?: AbortSignal,
): Promise<ResourceCatalog> {
  const base = clusterBasePath(context);
  const [core, apis] = await Promise.all([
    getJson(fetch, `${base}/api`, AGGREGATED_ACCEPT, signal).catch((err: unknown) => {
      if (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 404) return null;
      throw err;
    }),
    getJson(fetch, `${base}/apis`, AGGREGATED_ACCEPT, signal),
  ]);
  const groups: CatalogGroup[] = [];
  const failed: { groupVersion: string; message: string }[] = [];
  const legacy: Promise<void>[] = [];
  const fetchVersion = (group: string, version: string, preferred: boolean) => {
    const path = group === '' ? `${base}/api/${version}` : `${base}/apis/${group}/${version}`;
    legacy.push(
      getJson(fetch, path, 'application/json', signal).then(
        (doc) =>
          void groups.push({
            name: group,
            versions: [versionFromResourceList(doc, group, version, preferred)],
          }),
        (err: unknown) =>
          void failed.push({ groupVersion: group ? `${group}/${version}` : version, message: String(err) }),
      ),
    );
  };
  for (const doc of [core, apis]) {
    if (doc === null) continue;
    const kind = kindOf(doc);
    if (kind === 'APIGroupDiscoveryList') groups.push(...groupsFromAggregated(doc));
    else if (kind === 'APIVersions') {
      const versions = (doc as { versions?: unknown }).versions;
      (Array.isArray(versions) ? versions : []).forEach((v, i) => {
        if (typeof v === 'string') fetchVersion('', v, i === 0);
      });
    } else if (kind === 'APIGroupList') {
      const list = (
        doc as {
          groups?: {
            name?: string;
            versions?: { version?: string }[];
            preferredVersion?: { version?: string };
          }[];
        }
      ).groups;
      for (const g of list ?? []) {
        for (const v of g.versions ?? []) {
          if (g.name && v.version) fetchVersion(g.name, v.version, v.version === g.preferredVersion?.version);
        }
      }
    } else throw new Error(`unexpected discovery document kind ${String(kind)}`);
  }
  await Promise.all(legacy);
  return buildCatalog(groups, failed);
}

function isCatalog(value: unknown): value is ResourceCatalog {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as ResourceCatalog).groups) &&
    Array.isArray((value as ResourceCatalog).failed)
  );
}

export function discoveryQuery(fetch: FetchLike, context: string | null) {
  return queryOptions({
    queryKey: ['discovery', context],
    queryFn: async ({ signal }) => {
      const catalog = await fetchCatalog(fetch, context ?? '', signal);
      writeLocal(`discovery:${context}`, catalog);
      return catalog;
    },
    initialData: () => (context ? readLocal(`discovery:${context}`, isCatalog) : undefined),
    initialDataUpdatedAt: 0, // stale at once: the tree refetches, the copy only speeds up the first paint
    enabled: context !== null,
    staleTime: 10 * 60_000, // the project's 10 min discovery TTL (semantics §15)
    // Two quick retries for a flaky proxy; never for 401/403 (style habit 7).
    retry: (failures, err) =>
      failures < 2 &&
      !(typeof err === 'object' && err !== null && [401, 403].includes((err as { code?: number }).code ?? 0)),
    retryDelay: (attempt) => Math.min(500 * 2 ** attempt, 5000),
  });
}
