// RESTMapper: kind <-> resource, and the names kubectl accepts (client-go restmapper +
// kubectl's shortcut expander), built from discovery.
//
//   "po", "pod", "pods"          plural, singular, short name, any group (core group first)
//   "deployments.apps"           resource.group
//   "widgets.example.com"        resource.group (the group has dots)
//   "deploy.v1.apps"             resource.version.group
//
// Ties go to the group listed first by discovery (core first, DI-04), then to the group's
// preferred version. DI-12: when a lookup fails while discovery is not fresh() (served from an
// older cache), the mapper invalidates discovery, rebuilds and retries once, so a newly installed
// CRD is found without waiting for the TTL.
import type { GroupVersionKind, GroupVersionResource } from '../api/types.ts';
import { type DiscoveryInterface, groupsAndResourcesAllowingPartial } from './discovery-client.ts';
import type { GroupsAndResources } from './discovery-types.ts';

export interface RESTMapping {
  resource: GroupVersionResource;
  groupVersionKind: GroupVersionKind;
  namespaced: boolean;
  /** Lower-case singular name ("deployment"). */
  singular: string;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly string[];
}

/** No resource or kind matched the request. */
export class NoMatchError extends Error {
  override readonly name = 'NoMatchError';
  constructor(readonly what: string) {
    super(`no matches for ${what}`);
  }
}

export function isNoMatchError(e: unknown): e is NoMatchError {
  return e instanceof NoMatchError;
}

interface Entry extends RESTMapping {
  /** Position of the group in discovery order. */
  groupRank: number;
  /** 0 for the preferred version, then the listed order. */
  versionRank: number;
}

/** Pure index over one discovery snapshot. */
export class RESTMapperIndex {
  readonly #entries: Entry[] = [];

  constructor(gr: GroupsAndResources) {
    gr.groups.forEach((group, groupRank) => {
      const pref = group.preferredVersion?.groupVersion;
      const versions = [...group.versions].sort(
        (a, b) => Number(b.groupVersion === pref) - Number(a.groupVersion === pref),
      );
      versions.forEach((v, versionRank) => {
        const list = gr.resources.get(v.groupVersion);
        for (const r of list?.resources ?? []) {
          if (r.name.includes('/')) continue; // subresources are not mappable
          this.#entries.push({
            resource: { group: group.name, version: v.version, resource: r.name },
            groupVersionKind: { group: r.group || group.name, version: r.version || v.version, kind: r.kind },
            namespaced: r.namespaced,
            singular: (r.singularName || r.kind).toLowerCase(),
            shortNames: r.shortNames ?? [],
            categories: r.categories ?? [],
            verbs: r.verbs ?? [],
            groupRank,
            versionRank,
          });
        }
      });
    });
  }

  #best(candidates: Entry[], rankName: (e: Entry) => number): Entry | undefined {
    let best: Entry | undefined;
    let bestKey: number[] = [];
    for (const e of candidates) {
      const key = [rankName(e), e.groupRank, e.versionRank];
      if (!best || compare(key, bestKey) < 0) {
        best = e;
        bestKey = key;
      }
    }
    return best;
  }

  /** Name match rank: 0 plural, 1 singular, 2 short name, -1 no match. */
  static #nameRank(e: Entry, name: string): number {
    if (e.resource.resource === name) return 0;
    if (e.singular === name) return 1;
    if (e.shortNames.includes(name)) return 2;
    return -1;
  }

  /** kubectl-style resource argument, or a partial GVR (empty fields match anything). */
  mappingForResource(arg: string | Partial<GroupVersionResource>): RESTMapping | undefined {
    const tries: Partial<GroupVersionResource>[] = [];
    if (typeof arg === 'string') {
      const parts = arg.trim().toLowerCase().split('.');
      if (parts.some((p) => p === '')) return undefined;
      if (parts.length >= 3)
        tries.push({ resource: parts[0]!, version: parts[1]!, group: parts.slice(2).join('.') });
      if (parts.length >= 2) tries.push({ resource: parts[0]!, group: parts.slice(1).join('.') });
      tries.push({ resource: parts.join('.') });
    } else {
      tries.push(arg);
    }
    for (const t of tries) {
      const name = (t.resource ?? '').toLowerCase();
      if (!name) continue;
      const candidates = this.#entries.filter(
        (e) =>
          (t.group === undefined || e.resource.group === t.group) &&
          (!t.version || e.resource.version === t.version) &&
          RESTMapperIndex.#nameRank(e, name) >= 0,
      );
      const best = this.#best(candidates, (e) => RESTMapperIndex.#nameRank(e, name));
      if (best) return strip(best);
    }
    return undefined;
  }

  /** group + kind, in the first of `versions` served (or the preferred version). */
  mappingForKind(group: string, kind: string, versions: readonly string[] = []): RESTMapping | undefined {
    const lower = kind.toLowerCase();
    const candidates = this.#entries.filter(
      (e) => e.resource.group === group && e.groupVersionKind.kind.toLowerCase() === lower,
    );
    for (const v of versions) {
      const hit = this.#best(
        candidates.filter((e) => e.resource.version === v),
        (e) => (e.groupVersionKind.kind === kind ? 0 : 1),
      );
      if (hit) return strip(hit);
    }
    if (versions.length > 0) return undefined;
    const best = this.#best(candidates, (e) => (e.groupVersionKind.kind === kind ? 0 : 1));
    return best && strip(best);
  }

  /** Every preferred-version resource in a category ("all"), in discovery order. */
  resourcesForCategory(category: string): RESTMapping[] {
    const seen = new Set<string>();
    const out: RESTMapping[] = [];
    const sorted = [...this.#entries].sort(
      (a, b) => a.groupRank - b.groupRank || a.versionRank - b.versionRank,
    );
    for (const e of sorted) {
      if (!e.categories.includes(category)) continue;
      const key = `${e.resource.group}/${e.resource.resource}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(strip(e));
    }
    return out;
  }
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}

function strip(e: Entry): RESTMapping {
  const { groupRank: _g, versionRank: _v, ...m } = e;
  return m;
}

/** The lazy, self-refreshing mapper over a DiscoveryInterface (DI-12). */
export class RESTMapper {
  readonly #discovery: DiscoveryInterface;
  #index: Promise<RESTMapperIndex> | undefined;

  constructor(discovery: DiscoveryInterface) {
    this.#discovery = discovery;
  }

  /** Drop the index; the next lookup rebuilds it from discovery. */
  reset(): void {
    this.#index = undefined;
  }

  #load(signal?: AbortSignal): Promise<RESTMapperIndex> {
    if (!this.#index) {
      const p = groupsAndResourcesAllowingPartial(this.#discovery, signal).then(
        (gr) => new RESTMapperIndex(gr),
      );
      p.catch(() => {
        if (this.#index === p) this.#index = undefined;
      });
      this.#index = p;
    }
    return this.#index;
  }

  async #lookup<T>(
    what: string,
    find: (i: RESTMapperIndex) => T | undefined,
    signal?: AbortSignal,
  ): Promise<T> {
    const first = find(await this.#load(signal));
    if (first !== undefined) return first;
    // DI-12: the data may be an old cache; refresh once before giving up.
    if (!this.#discovery.fresh()) {
      this.#discovery.invalidate();
      this.reset();
      const second = find(await this.#load(signal));
      if (second !== undefined) return second;
    }
    throw new NoMatchError(what);
  }

  /** The mapping for a kubectl-style argument ("po", "deploy.v1.apps") or a partial GVR. */
  restMappingForResource(
    arg: string | Partial<GroupVersionResource>,
    signal?: AbortSignal,
  ): Promise<RESTMapping> {
    if (typeof arg !== 'string' && (typeof arg !== 'object' || arg === null)) {
      return Promise.reject(new TypeError('restMappingForResource: expected a string or a GVR'));
    }
    const what = typeof arg === 'string' ? `resource "${arg}"` : `resource ${JSON.stringify(arg)}`;
    return this.#lookup(what, (i) => i.mappingForResource(arg), signal);
  }

  async resourceFor(
    arg: string | Partial<GroupVersionResource>,
    signal?: AbortSignal,
  ): Promise<GroupVersionResource> {
    return (await this.restMappingForResource(arg, signal)).resource;
  }

  async kindFor(
    arg: string | Partial<GroupVersionResource>,
    signal?: AbortSignal,
  ): Promise<GroupVersionKind> {
    return (await this.restMappingForResource(arg, signal)).groupVersionKind;
  }

  /** client-go RESTMapping(groupKind, versions...): the first listed version served, else the preferred. */
  restMapping(
    groupKind: { group: string; kind: string },
    versions: readonly string[] = [],
    signal?: AbortSignal,
  ): Promise<RESTMapping> {
    const what = `kind "${groupKind.kind}" in group "${groupKind.group}"${versions.length ? ` versions ${versions.join(',')}` : ''}`;
    return this.#lookup(what, (i) => i.mappingForKind(groupKind.group, groupKind.kind, versions), signal);
  }

  /** The mapping for an object's apiVersion and kind. */
  restMappingForObject(
    obj: { apiVersion?: string; kind?: string },
    signal?: AbortSignal,
  ): Promise<RESTMapping> {
    if (!obj?.apiVersion || !obj.kind)
      return Promise.reject(new TypeError('object has no apiVersion or kind'));
    const slash = obj.apiVersion.indexOf('/');
    const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
    const version = slash < 0 ? obj.apiVersion : obj.apiVersion.slice(slash + 1);
    return this.restMapping({ group, kind: obj.kind }, [version], signal);
  }

  async resourcesForCategory(category: string, signal?: AbortSignal): Promise<RESTMapping[]> {
    return (await this.#load(signal)).resourcesForCategory(category);
  }
}
