// CachedDiscoveryClient (client-go discovery/cached/disk/cached_discovery.go, over injected
// storage instead of a disk): a DiscoveryInterface whose answers survive a reload (DI-11).
//
// Entries: "servergroups" and "{gv}/serverresources". An entry is usable while
// writtenAt + ttl > now and it was not made unusable by invalidate(). When "servergroups" has
// expired but carries ETags, the refetch sends If-None-Match; a 304 refreshes every entry's
// timestamp instead of rewriting them (DI-13).
//
// fresh() is false as soon as one served entry was written by someone else (an earlier page
// load): a lookup that fails on such data is worth an invalidate() and a retry (DI-12).
import { type Clock, realClock } from '../clock/clock.ts';
import { isNotFound } from '../rest/status-error.ts';
import type { DiscoveryCacheStorage } from './discovery-cache-storage.ts';
import {
  type DiscoveryClient,
  type DiscoveryInterface,
  type ETags,
  groupsAndResourcesAllowingPartial,
  preferredFrom,
} from './discovery-client.ts';
import { CacheNotFoundError, GroupDiscoveryFailedError } from './discovery-errors.ts';
import type { APIGroup, APIResourceList, GroupsAndResources } from './discovery-types.ts';

/** DI-11: kubectl's historical 10 minutes; the project's default (client-go has none). */
export const DEFAULT_DISCOVERY_TTL_MS = 10 * 60 * 1000;

const GROUPS_KEY = 'servergroups';
const resourcesKey = (gv: string) => `${gv}/serverresources`;

interface StoredGroups {
  groups: APIGroup[];
  etags?: ETags;
}

export interface CachedDiscoveryOptions {
  ttlMs?: number;
  clock?: Clock;
}

export class CachedDiscoveryClient implements DiscoveryInterface {
  readonly #delegate: DiscoveryClient;
  readonly #storage: DiscoveryCacheStorage;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  // Invariant: #ours holds exactly the keys this instance wrote since the last invalidate();
  // #invalidatedAt is the time of that invalidate() (-Infinity before the first).
  #ours = new Set<string>();
  #invalidatedAt = Number.NEGATIVE_INFINITY;
  #fresh = true;
  #groupsInflight: Promise<APIGroup[]> | undefined;

  constructor(delegate: DiscoveryClient, storage: DiscoveryCacheStorage, opts: CachedDiscoveryOptions = {}) {
    this.#delegate = delegate;
    this.#storage = storage;
    this.#ttlMs = opts.ttlMs ?? DEFAULT_DISCOVERY_TTL_MS;
    this.#clock = opts.clock ?? realClock;
    if (!(this.#ttlMs > 0))
      throw new RangeError(`CachedDiscoveryClient: ttlMs must be > 0, got ${this.#ttlMs}`);
  }

  fresh(): boolean {
    return this.#fresh;
  }

  /** DI-11: every entry older than now becomes unusable; fresh() is true again. */
  invalidate(): void {
    this.#invalidatedAt = this.#clock.now();
    this.#ours = new Set();
    this.#fresh = true;
    this.#groupsInflight = undefined;
    this.#delegate.invalidate();
  }

  /**
   * DI-11: call with the error of any request for a discovered resource. A 404 means discovery is
   * out of date (a CRD was removed, an API disabled): the cache is invalidated. Returns whether it was.
   */
  invalidateOnNotFound(err: unknown): boolean {
    if (!isNotFound(err)) return false;
    this.invalidate();
    return true;
  }

  #usable(key: string, writtenAt: number): boolean {
    if (!(writtenAt + this.#ttlMs > this.#clock.now())) return false;
    return this.#ours.has(key) || writtenAt > this.#invalidatedAt;
  }

  async #read<T>(key: string): Promise<{ value: T; writtenAt: number; usable: boolean } | undefined> {
    let entry: Awaited<ReturnType<DiscoveryCacheStorage['get']>>;
    try {
      entry = await this.#storage.get(key);
    } catch {
      return undefined; // storage is best-effort
    }
    if (!entry) return undefined;
    return {
      value: entry.value as T,
      writtenAt: entry.writtenAt,
      usable: this.#usable(key, entry.writtenAt),
    };
  }

  async #write(key: string, value: unknown): Promise<void> {
    this.#ours.add(key);
    try {
      await this.#storage.put(key, value, this.#clock.now());
    } catch {
      // Quota or an unavailable database: the answer is still good for this call.
    }
  }

  #served(key: string): void {
    if (!this.#ours.has(key)) this.#fresh = false;
  }

  serverGroups(signal?: AbortSignal): Promise<APIGroup[]> {
    if (!this.#groupsInflight) {
      const p = this.#serverGroups(signal).finally(() => {
        if (this.#groupsInflight === p) this.#groupsInflight = undefined;
      });
      this.#groupsInflight = p;
    }
    return this.#groupsInflight;
  }

  async #serverGroups(signal?: AbortSignal): Promise<APIGroup[]> {
    const cached = await this.#read<StoredGroups>(GROUPS_KEY);
    if (cached?.usable) {
      this.#served(GROUPS_KEY);
      return cached.value.groups;
    }
    const etags = cached?.value.etags;
    const got = await this.#delegate.fetchGroupsAndResources({
      ...(signal ? { signal } : {}),
      ...(etags && (etags.api || etags.apis) ? { etags } : {}),
    });
    if (got === 'notModified' && cached) {
      // DI-13: unchanged on the server; refresh the timestamps of what we have.
      const gvs = cached.value.groups.flatMap((g) => g.versions.map((v) => v.groupVersion));
      await Promise.all(
        gvs.map(async (gv) => {
          const e = await this.#read<APIResourceList>(resourcesKey(gv));
          if (e) await this.#write(resourcesKey(gv), e.value);
        }),
      );
      await this.#write(GROUPS_KEY, cached.value);
      return cached.value.groups;
    }
    if (got === 'notModified') throw new Error('discovery: 304 without a cached copy');
    // Aggregated answers carry every GV's resources: store them all now.
    await Promise.all([...got.resources].map(([gv, list]) => this.#write(resourcesKey(gv), list)));
    const stored: StoredGroups = { groups: got.groups, etags: got.etags };
    await this.#write(GROUPS_KEY, stored);
    return got.groups;
  }

  async serverResourcesForGroupVersion(groupVersion: string, signal?: AbortSignal): Promise<APIResourceList> {
    const key = resourcesKey(groupVersion);
    const cached = await this.#read<APIResourceList>(key);
    if (cached?.usable) {
      this.#served(key);
      return cached.value;
    }
    const groups = await this.serverGroups(signal);
    if (!groups.some((g) => g.versions.some((v) => v.groupVersion === groupVersion))) {
      throw new CacheNotFoundError(groupVersion);
    }
    // serverGroups() may just have written it (aggregated discovery).
    const again = await this.#read<APIResourceList>(key);
    if (again?.usable) {
      this.#served(key);
      return again.value;
    }
    const list = await this.#delegate.fetchGroupVersion(groupVersion, signal);
    await this.#write(key, list);
    return list;
  }

  async serverGroupsAndResources(signal?: AbortSignal): Promise<GroupsAndResources> {
    const groups = await this.serverGroups(signal);
    const gvs = groups.flatMap((g) => g.versions.map((v) => v.groupVersion));
    const resources = new Map<string, APIResourceList>();
    const failed = new Map<string, Error>();
    const results = await Promise.allSettled(
      gvs.map((gv) => this.serverResourcesForGroupVersion(gv, signal)),
    );
    results.forEach((r, i) => {
      const gv = gvs[i]!;
      if (r.status === 'fulfilled') resources.set(gv, r.value);
      else failed.set(gv, r.reason instanceof Error ? r.reason : new Error(String(r.reason)));
    });
    const result: GroupsAndResources = { groups, resources, failed };
    if (failed.size > 0) throw new GroupDiscoveryFailedError(failed, result);
    return result;
  }

  async serverPreferredResources(signal?: AbortSignal): Promise<APIResourceList[]> {
    return preferredFrom(await groupsAndResourcesAllowingPartial(this, signal));
  }
}
