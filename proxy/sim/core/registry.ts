// The set of resources the simulated cluster serves, built from the real discovery documents
// (core v1 from api__v1.json, every other group from aggregated_v2.json) plus the resources of
// CustomResourceDefinitions created at runtime. Discovery documents and request routing both read
// from here, so a resource is served exactly when discovery lists it.
import aggregatedApis from '../fixtures/discovery/aggregated_v2.json' with { type: 'json' };
import coreV1 from '../fixtures/discovery/api__v1.json' with { type: 'json' };

/** apidiscovery.k8s.io/v2 APIResourceDiscovery's responseKind. */
export interface DiscoveryKind {
  group: string;
  version: string;
  kind: string;
}

export interface SubresourceDiscovery {
  subresource: string;
  responseKind?: DiscoveryKind;
  acceptedTypes?: DiscoveryKind[];
  verbs: string[];
}

export interface ResourceDiscovery {
  resource: string;
  responseKind: DiscoveryKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: SubresourceDiscovery[];
}

export interface VersionDiscovery {
  version: string;
  resources: ResourceDiscovery[];
  freshness?: 'Current' | 'Stale';
}

export interface GroupDiscovery {
  metadata: { name: string };
  versions: VersionDiscovery[];
}

/** A CRD printer column, kept verbatim for the Table converter. */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  format?: string;
  description?: string;
  priority?: number;
}

/**
 * One served resource at one version. Objects live in storage per group+resource (all versions
 * of a resource share one store, as with a CRD whose conversion strategy is None); `version`
 * only decides the apiVersion written on the way out.
 */
export interface ResourceInfo {
  group: string;
  version: string;
  resource: string;
  kind: string;
  listKind: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  /** Subresource name → verbs, e.g. status → [get, patch, update]. */
  subresources: Map<string, string[]>;
  /** Set for CRD-defined resources: the CRD's name and its additionalPrinterColumns at this version. */
  crd?: { name: string; printerColumns: PrinterColumn[]; schema?: unknown; scale?: ScalePaths };
}

/** Storage identity of a resource: every version of group+resource shares one store. */
export function storageKey(group: string, resource: string): string {
  return `${group}/${resource}`;
}

interface LegacyResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

/** Core v1 in aggregated form, derived from the legacy APIResourceList as the apiserver derives it. */
function coreGroupFromLegacy(list: { resources: LegacyResource[] }): GroupDiscovery {
  const parents = new Map<string, ResourceDiscovery>();
  for (const r of list.resources) {
    if (r.name.includes('/')) continue;
    const entry: ResourceDiscovery = {
      resource: r.name,
      responseKind: { group: '', version: 'v1', kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singularName ?? '',
      verbs: [...r.verbs],
    };
    if (r.shortNames) entry.shortNames = [...r.shortNames];
    if (r.categories) entry.categories = [...r.categories];
    parents.set(r.name, entry);
  }
  for (const r of list.resources) {
    const slash = r.name.indexOf('/');
    if (slash < 0) continue;
    const parent = parents.get(r.name.slice(0, slash));
    if (parent === undefined) continue;
    parent.subresources ??= [];
    parent.subresources.push({
      subresource: r.name.slice(slash + 1),
      responseKind: { group: '', version: 'v1', kind: r.kind },
      verbs: [...r.verbs],
    });
  }
  return {
    metadata: { name: '' },
    versions: [{ version: 'v1', resources: [...parents.values()], freshness: 'Current' }],
  };
}

/**
 * The fixture leaves responseKind.group/version empty ("same as the resource"); a live server
 * fills them in, and clients build GVKs from them (DI-05), so we do too.
 */
function normalizeGroup(g: GroupDiscovery): GroupDiscovery {
  return {
    metadata: { name: g.metadata.name },
    versions: g.versions.map((v) => ({
      ...v,
      resources: v.resources.map((r) => ({
        ...r,
        responseKind: {
          group: r.responseKind.group || g.metadata.name,
          version: r.responseKind.version || v.version,
          kind: r.responseKind.kind,
        },
        ...(r.subresources
          ? {
              subresources: r.subresources.map((s) => ({
                ...s,
                ...(s.responseKind
                  ? {
                      responseKind: {
                        group: s.responseKind.group || g.metadata.name,
                        version: s.responseKind.version || v.version,
                        kind: s.responseKind.kind,
                      },
                    }
                  : {}),
              })),
            }
          : {}),
      })),
    })),
  };
}

function infoFrom(group: string, version: string, r: ResourceDiscovery): ResourceInfo {
  return {
    group,
    version,
    resource: r.resource,
    kind: r.responseKind.kind,
    listKind: `${r.responseKind.kind}List`,
    singular: r.singularResource || r.responseKind.kind.toLowerCase(),
    namespaced: r.scope === 'Namespaced',
    verbs: r.verbs,
    shortNames: r.shortNames ?? [],
    categories: r.categories ?? [],
    subresources: new Map((r.subresources ?? []).map((s) => [s.subresource, s.verbs])),
  };
}

/**
 * Kubernetes version priority (apimachinery version.CompareKubeAwareVersionStrings): GA before
 * beta before alpha, higher numbers first; anything else after, alphabetically.
 */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string): [number, number, number] | undefined => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    const stage = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stage, Number(m[1]), Number(m[3] ?? 0)];
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && pb) {
    if (pa[0] !== pb[0]) return pb[0] - pa[0];
    if (pa[1] !== pb[1]) return pb[1] - pa[1];
    return pb[2] - pa[2];
  }
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** CustomResourceSubresourceScale: where a custom resource keeps its replica counts. */
export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** What a CRD contributes to the registry, already validated by crd.ts. */
export interface CrdServing {
  crdName: string;
  group: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  versions: {
    name: string;
    status: boolean;
    scale: boolean;
    /** The CRD's subresources.scale paths, when `scale` is set. */
    scalePaths?: ScalePaths;
    printerColumns: PrinterColumn[];
    schema?: unknown;
  }[];
}

const CRD_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

/**
 * Served resources, keyed by group, version and resource. Invariants: `#groups` holds the
 * built-in groups in discovery order (core first); CRD groups come after them, and a CRD's
 * resources appear in `#byGvr` exactly while the CRD exists. `generation` changes on every change,
 * so cached discovery documents (and their ETags) know when to rebuild.
 */
export class Registry {
  readonly #builtin: GroupDiscovery[];
  readonly #crds = new Map<string, CrdServing>();
  #byGvr = new Map<string, ResourceInfo>();
  #groups: GroupDiscovery[] = [];
  #generation = 0;

  constructor() {
    this.#builtin = [
      coreGroupFromLegacy(coreV1 as { resources: LegacyResource[] }),
      ...(aggregatedApis.items as GroupDiscovery[]).map(normalizeGroup),
    ];
    this.#rebuild();
  }

  get generation(): number {
    return this.#generation;
  }

  /** Every group in discovery order, the core group ("") first. Read-only. */
  groups(): readonly GroupDiscovery[] {
    return this.#groups;
  }

  lookup(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.#byGvr.get(`${group}/${version}/${resource}`);
  }

  /** All served resource infos (every version). */
  all(): IterableIterator<ResourceInfo> {
    return this.#byGvr.values();
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.#groups.some(
      (g) => g.metadata.name === group && g.versions.some((v) => v.version === version),
    );
  }

  /** Serve (or re-serve, after an update) a CRD's resource at every served version. */
  putCrd(serving: CrdServing): void {
    this.#crds.set(serving.crdName, serving);
    this.#rebuild();
  }

  removeCrd(crdName: string): CrdServing | undefined {
    const removed = this.#crds.get(crdName);
    if (removed === undefined) return undefined;
    this.#crds.delete(crdName);
    this.#rebuild();
    return removed;
  }

  /** A CRD of this name is currently served. */
  crd(crdName: string): CrdServing | undefined {
    return this.#crds.get(crdName);
  }

  #rebuild(): void {
    const groups = this.#builtin.map((g) => ({ metadata: g.metadata, versions: [...g.versions] }));
    const crdInfo = new Map<string, ResourceInfo>();
    for (const c of this.#crds.values()) {
      let group = groups.find((g) => g.metadata.name === c.group);
      if (group === undefined) {
        group = { metadata: { name: c.group }, versions: [] };
        groups.push(group);
      }
      for (const v of c.versions) {
        const subresources: SubresourceDiscovery[] = [];
        if (v.scale) {
          subresources.push({
            subresource: 'scale',
            responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
            verbs: ['get', 'patch', 'update'],
          });
        }
        if (v.status) {
          subresources.push({
            subresource: 'status',
            responseKind: { group: c.group, version: v.name, kind: c.kind },
            verbs: ['get', 'patch', 'update'],
          });
        }
        const entry: ResourceDiscovery = {
          resource: c.plural,
          responseKind: { group: c.group, version: v.name, kind: c.kind },
          scope: c.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: c.singular,
          verbs: CRD_VERBS,
          ...(c.shortNames.length > 0 ? { shortNames: c.shortNames } : {}),
          ...(c.categories.length > 0 ? { categories: c.categories } : {}),
          ...(subresources.length > 0 ? { subresources } : {}),
        };
        let version = group.versions.find((x) => x.version === v.name);
        if (version === undefined) {
          version = { version: v.name, resources: [], freshness: 'Current' };
          group.versions.push(version);
        } else {
          version = { ...version, resources: [...version.resources] };
          group.versions[group.versions.findIndex((x) => x.version === v.name)] = version;
        }
        version.resources = [...version.resources.filter((r) => r.resource !== c.plural), entry].sort(
          (a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0),
        );
        const info = infoFrom(c.group, v.name, entry);
        info.listKind = c.listKind;
        info.crd = { name: c.crdName, printerColumns: v.printerColumns };
        if (v.schema !== undefined) info.crd.schema = v.schema;
        if (v.scalePaths !== undefined) info.crd.scale = v.scalePaths;
        crdInfo.set(`${c.group}/${v.name}/${c.plural}`, info);
      }
      group.versions.sort((a, b) => compareKubeVersions(a.version, b.version));
    }
    const byGvr = new Map<string, ResourceInfo>();
    for (const g of groups) {
      for (const v of g.versions) {
        for (const r of v.resources) {
          const key = `${g.metadata.name}/${v.version}/${r.resource}`;
          byGvr.set(key, crdInfo.get(key) ?? infoFrom(g.metadata.name, v.version, r));
        }
      }
    }
    this.#groups = groups;
    this.#byGvr = byGvr;
    this.#generation++;
  }
}
