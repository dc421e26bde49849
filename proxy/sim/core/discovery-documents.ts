// The discovery documents the simulated cluster serves, derived from the registry the way the
// apiserver derives them: legacy /api, /api/v1, /apis (APIGroupList), /apis/{g} (APIGroup),
// /apis/{g}/{v} (APIResourceList), and the aggregated apidiscovery.k8s.io v2 / v2beta1 lists for
// /api and /apis (DI-01, DI-05) with an ETag (DI-13). Documents are rebuilt only when the registry
// changes (a CRD came or went); the serialised text and its ETag are cached per generation.
import coreVersions from '../fixtures/discovery/api.json' with { type: 'json' };
import coreV1 from '../fixtures/discovery/api__v1.json' with { type: 'json' };
import appsV1 from '../fixtures/discovery/apis__apps__v1.json' with { type: 'json' };
import batchV1 from '../fixtures/discovery/apis__batch__v1.json' with { type: 'json' };
import type { GroupDiscovery, Registry } from './registry.ts';

/** A serialised document and its strong ETag. */
export interface Document {
  body: string;
  etag: string;
}

export type AggregatedVersion = 'v2' | 'v2beta1';

/** cyrb53: a fast 53-bit string hash; plenty for change detection of a few documents. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

function doc(value: unknown): Document {
  const body = JSON.stringify(value);
  return { body, etag: `"${hash53(body)}"` };
}

/** Legacy fixtures served verbatim while no CRD adds to their group version. */
const LEGACY_FIXTURES: Record<string, unknown> = { 'apps/v1': appsV1, 'batch/v1': batchV1 };

export class DiscoveryDocuments {
  readonly #registry: Registry;
  #generation = -1;
  readonly #cache = new Map<string, Document>();

  constructor(registry: Registry) {
    this.#registry = registry;
  }

  #cached(key: string, build: () => unknown): Document {
    if (this.#generation !== this.#registry.generation) {
      this.#cache.clear();
      this.#generation = this.#registry.generation;
    }
    let d = this.#cache.get(key);
    if (d === undefined) {
      d = doc(build());
      this.#cache.set(key, d);
    }
    return d;
  }

  #core(): GroupDiscovery {
    return this.#registry.groups()[0] as GroupDiscovery;
  }

  #named(): readonly GroupDiscovery[] {
    return this.#registry.groups().slice(1);
  }

  /** GET /api, legacy: APIVersions. */
  apiVersions(): Document {
    return this.#cached('api', () => coreVersions);
  }

  /** GET /api/v1: the core APIResourceList. */
  coreResources(): Document {
    return this.#cached('api/v1', () => coreV1);
  }

  /** Aggregated /api (core group only) or /apis (every other group). */
  aggregated(which: 'api' | 'apis', version: AggregatedVersion): Document {
    return this.#cached(`agg:${which}:${version}`, () => ({
      kind: 'APIGroupDiscoveryList',
      apiVersion: `apidiscovery.k8s.io/${version}`,
      metadata: {},
      items: (which === 'api' ? [this.#core()] : this.#named()).map((g) => ({
        metadata: g.metadata.name === '' ? {} : { name: g.metadata.name },
        versions: g.versions,
      })),
    }));
  }

  #groupJson(g: GroupDiscovery): Record<string, unknown> {
    const versions = g.versions.map((v) => ({
      groupVersion: `${g.metadata.name}/${v.version}`,
      version: v.version,
    }));
    return { name: g.metadata.name, versions, preferredVersion: versions[0] };
  }

  /** GET /apis, legacy: APIGroupList. */
  groupList(): Document {
    return this.#cached('apis', () => ({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.#named().map((g) => this.#groupJson(g)),
    }));
  }

  /** GET /apis/{group}: APIGroup, or undefined when the group is not served. */
  group(name: string): Document | undefined {
    const g = this.#named().find((x) => x.metadata.name === name);
    if (g === undefined) return undefined;
    return this.#cached(`apis/${name}`, () => ({
      kind: 'APIGroup',
      apiVersion: 'v1',
      ...this.#groupJson(g),
    }));
  }

  /** GET /apis/{group}/{version}: APIResourceList, or undefined when not served. */
  groupVersionResources(group: string, version: string): Document | undefined {
    const g = this.#named().find((x) => x.metadata.name === group);
    const v = g?.versions.find((x) => x.version === version);
    if (v === undefined) return undefined;
    const gv = `${group}/${version}`;
    const fixture = LEGACY_FIXTURES[gv];
    const hasCrd = [...this.#registry.all()].some((r) => r.group === group && r.crd !== undefined);
    if (fixture !== undefined && !hasCrd) return this.#cached(gv, () => fixture);
    return this.#cached(gv, () => ({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: gv,
      resources: v.resources.flatMap((r) => {
        const namespaced = r.scope === 'Namespaced';
        const main: Record<string, unknown> = {
          name: r.resource,
          singularName: r.singularResource,
          namespaced,
          kind: r.responseKind.kind,
          verbs: r.verbs,
        };
        if (r.shortNames) main.shortNames = r.shortNames;
        if (r.categories) main.categories = r.categories;
        const subs = (r.subresources ?? []).map((s) => ({
          name: `${r.resource}/${s.subresource}`,
          singularName: '',
          namespaced,
          ...(s.responseKind && (s.responseKind.group !== group || s.responseKind.version !== version)
            ? { group: s.responseKind.group, version: s.responseKind.version }
            : {}),
          kind: s.responseKind?.kind ?? r.responseKind.kind,
          verbs: s.verbs,
        }));
        return [main, ...subs];
      }),
    }));
  }
}
