// DiscoveryClient (client-go discovery/discovery_client.go + cached/memory/memcache.go):
// what the cluster serves, asked once and kept in memory until invalidate() (DI-10).
//
// Fetching (DI-01..06): GET /api and /apis asking for the aggregated v2 format first. Which format
// came back is decided by the response Content-Type (DI-02). Resources come from the aggregated
// documents only when BOTH were aggregated (DI-05); otherwise every group-version is fetched from
// its legacy endpoint, all in parallel, and a failing GV is recorded while the others carry on
// (DI-06, DI-07). The aggregated endpoints support ETags: a refetch sends If-None-Match and a 304
// on both means the previous answer still holds (DI-13).

import { ACCEPT_AGGREGATED_DISCOVERY, ACCEPT_JSON } from '../rest/media-types.ts';
import type { RESTClient, RESTClientOptions } from '../rest/rest-client.ts';
import { decodeObject } from '../rest/rest-client.ts';
import { isNotFound } from '../rest/status-error.ts';
import { isAggregatedContentType, splitAggregated } from './aggregated-discovery.ts';
import {
  CacheNotFoundError,
  GroupDiscoveryFailedError,
  isTransientDiscoveryError,
} from './discovery-errors.ts';
import type {
  APIGroup,
  APIGroupDiscoveryList,
  APIGroupList,
  APIResourceList,
  APIVersions,
  GroupsAndResources,
} from './discovery-types.ts';
import { preferredResources } from './preferred-resources.ts';

/** What every discovery implementation offers (the memory one here, the persistent one, fakes). */
export interface DiscoveryInterface {
  /** DI-07: throws GroupDiscoveryFailedError<GroupsAndResources> holding the partial result. */
  serverGroupsAndResources(signal?: AbortSignal): Promise<GroupsAndResources>;
  serverGroups(signal?: AbortSignal): Promise<APIGroup[]>;
  /** DI-10: CacheNotFoundError when the group list does not contain gv. */
  serverResourcesForGroupVersion(groupVersion: string, signal?: AbortSignal): Promise<APIResourceList>;
  /** DI-08: throws GroupDiscoveryFailedError<APIResourceList[]> holding the partial result. */
  serverPreferredResources(signal?: AbortSignal): Promise<APIResourceList[]>;
  /** True when everything served so far was fetched by this client (DI-10, DI-11). */
  fresh(): boolean;
  /** Forget cached answers; the next call fetches again. */
  invalidate(): void;
}

export type DiscoveryMode = 'aggregated' | 'legacy' | 'nopeer';

export interface DiscoveryClientOptions {
  /** DI-01: default 'aggregated'. */
  mode?: DiscoveryMode;
  /** DI-09: per-request timeout, default 32 s. */
  timeoutMs?: number;
}

export interface ETags {
  api?: string;
  apis?: string;
}

/** One full fetch of /api and /apis (and the per-GV documents when needed). */
export interface FetchedDiscovery extends GroupsAndResources {
  /** Both documents were aggregated, so `resources` came with them. */
  aggregated: boolean;
  etags: ETags;
}

/** DI-09: client-go's discovery request timeout. */
export const DISCOVERY_TIMEOUT_MS = 32_000;
/** DI-09: discovery fans out one request per group-version, so its client gets a large burst. */
export const DISCOVERY_BURST = 300;

/** DI-09: options for the RESTClient a DiscoveryClient should use: burst 300 and a 32 s timeout unless set. */
export function discoveryRESTClientOptions(opts: RESTClientOptions): RESTClientOptions {
  return { ...opts, burst: opts.burst || DISCOVERY_BURST, timeoutMs: opts.timeoutMs || DISCOVERY_TIMEOUT_MS };
}

const NOPEER_ACCEPT = `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;profile=nopeer,${ACCEPT_AGGREGATED_DISCOVERY}`;

export class DiscoveryClient implements DiscoveryInterface {
  readonly #rest: RESTClient;
  readonly #accept: string;
  readonly #timeoutMs: number;
  // Invariant: #cache is the last complete fetch since the last invalidate() (or undefined);
  // #inflight dedups concurrent first calls so the server is asked once.
  #cache: FetchedDiscovery | undefined;
  #inflight: Promise<FetchedDiscovery> | undefined;
  // Survives invalidate() so the refetch can be revalidated with If-None-Match (DI-13).
  #previous: FetchedDiscovery | undefined;
  #fresh = false;

  constructor(rest: RESTClient, opts: DiscoveryClientOptions = {}) {
    this.#rest = rest;
    const mode = opts.mode ?? 'aggregated';
    this.#accept =
      mode === 'legacy' ? ACCEPT_JSON : mode === 'nopeer' ? NOPEER_ACCEPT : ACCEPT_AGGREGATED_DISCOVERY;
    this.#timeoutMs = opts.timeoutMs ?? DISCOVERY_TIMEOUT_MS;
  }

  // ---- raw fetches (no caching) -------------------------------------------------------------

  /**
   * DI-01..06, DI-13: fetch groups and resources. With `etags`, sends If-None-Match and resolves
   * 'notModified' when both documents are unchanged.
   */
  async fetchGroupsAndResources(
    opts: { signal?: AbortSignal; etags?: ETags } = {},
  ): Promise<FetchedDiscovery | 'notModified'> {
    const [api, apis] = await Promise.all([
      this.#fetchRoot('/api', opts.etags?.api, opts.signal),
      this.#fetchRoot('/apis', opts.etags?.apis, opts.signal),
    ]);
    if (api === 'notModified' && apis === 'notModified') return 'notModified';
    if (api === 'notModified' || apis === 'notModified') {
      // Only one changed: we would need the other's body, so ask again without ETags.
      return this.fetchGroupsAndResources({ ...(opts.signal ? { signal: opts.signal } : {}) });
    }
    const etags: ETags = {};
    if (api.etag) etags.api = api.etag;
    if (apis.etag) etags.apis = apis.etag;
    if (api.aggregated && apis.aggregated) {
      const split = splitAggregated(api.doc as APIGroupDiscoveryList, apis.doc as APIGroupDiscoveryList);
      return { ...split, aggregated: true, etags };
    }
    // DI-05: a mix of formats gives groups only; the resources come from per-GV fetches.
    const groups = [
      ...(api.aggregated
        ? splitAggregated(api.doc as APIGroupDiscoveryList).groups
        : legacyCoreGroups(api.doc as APIVersions)),
      ...(apis.aggregated
        ? splitAggregated(apis.doc as APIGroupDiscoveryList).groups
        : legacyGroups(apis.doc as APIGroupList)),
    ];
    const resources = new Map<string, APIResourceList>();
    const failed = new Map<string, Error>();
    const gvs = groups.flatMap((g) => g.versions.map((v) => v.groupVersion));
    await Promise.all(
      gvs.map(async (gv) => {
        try {
          resources.set(gv, await this.fetchGroupVersion(gv, opts.signal));
        } catch (err) {
          failed.set(gv, asError(err));
        }
      }),
    );
    // Keep the server's GV order (Promise.all finished in any order).
    const ordered = new Map<string, APIResourceList>();
    for (const gv of gvs) {
      const list = resources.get(gv);
      if (list) ordered.set(gv, list);
    }
    return { groups, resources: ordered, failed, aggregated: false, etags };
  }

  /** DI-06: GET /api/v1 or /apis/{g}/{v}. A 404 for "v1" is an empty list. */
  async fetchGroupVersion(groupVersion: string, signal?: AbortSignal): Promise<APIResourceList> {
    const path = groupVersion.includes('/') ? `/apis/${groupVersion}` : `/api/${groupVersion}`;
    if (!/^[a-z0-9.-]*\/?[a-z0-9]+$/i.test(groupVersion))
      throw new Error(`invalid group-version ${JSON.stringify(groupVersion)}`);
    try {
      const res = await this.#rest.request({
        path,
        accept: ACCEPT_JSON,
        timeoutMs: this.#timeoutMs,
        ...(signal ? { signal } : {}),
      });
      const list = decodeObject<APIResourceList>(res);
      if (!list || !Array.isArray(list.resources)) throw new Error(`${path}: not an APIResourceList`);
      return { ...list, groupVersion: list.groupVersion || groupVersion };
    } catch (err) {
      if (groupVersion === 'v1' && isNotFound(err)) return { groupVersion, resources: [] };
      throw err;
    }
  }

  async #fetchRoot(
    path: '/api' | '/apis',
    etag: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ doc: unknown; aggregated: boolean; etag: string | null } | 'notModified'> {
    try {
      const res = await this.#rest.request({
        path,
        accept: this.#accept,
        timeoutMs: this.#timeoutMs,
        acceptStatus: [304],
        ...(etag ? { headers: { 'If-None-Match': etag } } : {}),
        ...(signal ? { signal } : {}),
      });
      if (res.status === 304) return 'notModified';
      const aggregated = isAggregatedContentType(res.headers.get('Content-Type'));
      const doc = decodeObject<unknown>(res);
      return { doc, aggregated, etag: res.headers.get('ETag') };
    } catch (err) {
      // DI-03: aggregated API servers answer 404 on /api; that is an empty core group.
      if (path === '/api' && isNotFound(err)) return { doc: { versions: [] }, aggregated: false, etag: null };
      throw err;
    }
  }

  // ---- memory-cached API (DI-10) ------------------------------------------------------------

  fresh(): boolean {
    return this.#fresh;
  }

  invalidate(): void {
    if (this.#cache) this.#previous = this.#cache;
    this.#cache = undefined;
    this.#inflight = undefined;
    this.#fresh = false;
  }

  async #load(signal?: AbortSignal): Promise<FetchedDiscovery> {
    if (this.#cache) return this.#cache;
    if (!this.#inflight) {
      const previous = this.#previous;
      let p: Promise<FetchedDiscovery> | undefined;
      p = (async () => {
        const got = await this.fetchGroupsAndResources({
          ...(signal ? { signal } : {}),
          ...(previous && (previous.etags.api || previous.etags.apis) ? { etags: previous.etags } : {}),
        });
        const result = got === 'notModified' ? previous! : got;
        // Only install the result if no invalidate() happened meanwhile.
        if (this.#inflight === p) {
          this.#cache = result;
          this.#fresh = true;
          this.#inflight = undefined;
        }
        return result;
      })();
      this.#inflight = p;
      p.catch(() => {
        if (this.#inflight === p) this.#inflight = undefined;
      });
    }
    return this.#inflight;
  }

  /** DI-10: retry GVs whose earlier failure was transient. */
  async #retryTransient(cache: FetchedDiscovery, gvs: Iterable<string>, signal?: AbortSignal): Promise<void> {
    await Promise.all(
      [...gvs].map(async (gv) => {
        const err = cache.failed.get(gv);
        if (!err || !isTransientDiscoveryError(err)) return;
        try {
          const list = await this.fetchGroupVersion(gv, signal);
          cache.resources.set(gv, list);
          cache.failed.delete(gv);
        } catch (e) {
          cache.failed.set(gv, asError(e));
        }
      }),
    );
  }

  async serverGroups(signal?: AbortSignal): Promise<APIGroup[]> {
    return (await this.#load(signal)).groups;
  }

  async serverGroupsAndResources(signal?: AbortSignal): Promise<GroupsAndResources> {
    const cache = await this.#load(signal);
    await this.#retryTransient(cache, [...cache.failed.keys()], signal);
    const result: GroupsAndResources = {
      groups: cache.groups,
      resources: new Map(cache.resources),
      failed: new Map(cache.failed),
    };
    if (result.failed.size > 0) throw new GroupDiscoveryFailedError(result.failed, result);
    return result;
  }

  async serverResourcesForGroupVersion(groupVersion: string, signal?: AbortSignal): Promise<APIResourceList> {
    const cache = await this.#load(signal);
    const known = cache.groups.some((g) => g.versions.some((v) => v.groupVersion === groupVersion));
    if (!known) throw new CacheNotFoundError(groupVersion);
    await this.#retryTransient(cache, [groupVersion], signal);
    const err = cache.failed.get(groupVersion);
    if (err) throw err;
    const list = cache.resources.get(groupVersion);
    if (!list) {
      // Known GV with no document yet (e.g. aggregated groups only): fetch and remember it.
      const fetched = await this.fetchGroupVersion(groupVersion, signal);
      cache.resources.set(groupVersion, fetched);
      return fetched;
    }
    return list;
  }

  async serverPreferredResources(signal?: AbortSignal): Promise<APIResourceList[]> {
    return preferredFrom(await groupsAndResourcesAllowingPartial(this, signal));
  }
}

/** serverGroupsAndResources, but a partial failure returns the partial data and the error. */
export async function groupsAndResourcesAllowingPartial(
  d: DiscoveryInterface,
  signal?: AbortSignal,
): Promise<GroupsAndResources> {
  try {
    return await d.serverGroupsAndResources(signal);
  } catch (err) {
    if (err instanceof GroupDiscoveryFailedError) return err.partial as GroupsAndResources;
    throw err;
  }
}

/** DI-08 with DI-07: the preferred lists, throwing GroupDiscoveryFailedError when GVs failed. */
export function preferredFrom(gr: GroupsAndResources): APIResourceList[] {
  const lists = preferredResources(gr);
  if (gr.failed.size > 0) throw new GroupDiscoveryFailedError(gr.failed, lists);
  return lists;
}

/** DI-04: legacy /api (APIVersions) as the core group; the first version is preferred. */
function legacyCoreGroups(doc: APIVersions): APIGroup[] {
  const versions = Array.isArray(doc?.versions) ? doc.versions : [];
  if (versions.length === 0) return [];
  const refs = versions.map((v) => ({ groupVersion: v, version: v }));
  return [{ name: '', versions: refs, preferredVersion: refs[0]! }];
}

function legacyGroups(doc: APIGroupList): APIGroup[] {
  if (!doc || !Array.isArray(doc.groups)) throw new TypeError('/apis: not an APIGroupList');
  return doc.groups;
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
