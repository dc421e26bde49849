// The resource tree's model, built from discovery: groups (core first, then alphabetical), each
// with its versions (preferred first and marked, DI-05/DI-08) and their resources. Pure functions
// over the aggregated (DI-05) and legacy (DI-04, DI-06) documents; subresources are not listed.
// Interim: when src/kube/discovery's DiscoveryClient lands, discovery-query.ts feeds its result
// through toCatalog-style mapping instead of parsing here.

export interface CatalogResource {
  group: string;
  version: string;
  /** Plural, as in the URL. */
  resource: string;
  kind: string;
  singular: string;
  shortNames: readonly string[];
  namespaced: boolean;
  verbs: readonly string[];
  categories: readonly string[];
}

export interface CatalogVersion {
  version: string;
  preferred: boolean;
  resources: readonly CatalogResource[];
}

export interface CatalogGroup {
  /** "" is the core group. */
  name: string;
  versions: readonly CatalogVersion[];
}

export interface ResourceCatalog {
  groups: readonly CatalogGroup[];
  /** Group versions whose discovery failed (DI-07): shown as such, the rest still usable. */
  failed: readonly { groupVersion: string; message: string }[];
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** One APIGroupDiscoveryList (v2 or v2beta1) into groups. The first listed version is preferred (DI-05). */
export function groupsFromAggregated(doc: unknown): CatalogGroup[] {
  if (!isObj(doc) || !Array.isArray(doc.items)) throw new Error('not an APIGroupDiscoveryList');
  const groups: CatalogGroup[] = [];
  for (const item of doc.items) {
    if (!isObj(item)) continue;
    const name = isObj(item.metadata) ? str(item.metadata.name) : '';
    const versions: CatalogVersion[] = [];
    const rawVersions = Array.isArray(item.versions) ? item.versions : [];
    rawVersions.forEach((v, i) => {
      if (!isObj(v) || !str(v.version)) return;
      const version = str(v.version);
      const resources: CatalogResource[] = [];
      for (const r of Array.isArray(v.resources) ? v.resources : []) {
        if (!isObj(r) || !str(r.resource)) continue;
        const kind = isObj(r.responseKind) ? str(r.responseKind.kind) : '';
        resources.push({
          group: name,
          version,
          resource: str(r.resource),
          kind,
          singular: str(r.singularResource) || kind.toLowerCase(),
          shortNames: strings(r.shortNames),
          namespaced: r.scope === 'Namespaced',
          verbs: strings(r.verbs),
          categories: strings(r.categories),
        });
      }
      versions.push({ version, preferred: i === 0, resources: sortResources(resources) });
    });
    groups.push({ name, versions });
  }
  return groups;
}

/** One legacy APIResourceList (GET /api/v1, /apis/g/v) into a version; "pods/log" style subresources are dropped. */
export function versionFromResourceList(
  doc: unknown,
  group: string,
  version: string,
  preferred: boolean,
): CatalogVersion {
  if (!isObj(doc) || !Array.isArray(doc.resources))
    throw new Error(`not an APIResourceList for ${group}/${version}`);
  const resources: CatalogResource[] = [];
  for (const r of doc.resources) {
    if (!isObj(r) || !str(r.name) || str(r.name).includes('/')) continue;
    const kind = str(r.kind);
    resources.push({
      group,
      version,
      resource: str(r.name),
      kind,
      singular: str(r.singularName) || kind.toLowerCase(),
      shortNames: strings(r.shortNames),
      namespaced: r.namespaced === true,
      verbs: strings(r.verbs),
      categories: strings(r.categories),
    });
  }
  return { version, preferred, resources: sortResources(resources) };
}

/** Core first, then groups by name; merges duplicates (the core group arrives from /api, the rest from /apis). */
export function buildCatalog(
  groups: readonly CatalogGroup[],
  failed: ResourceCatalog['failed'] = [],
): ResourceCatalog {
  const byName = new Map<string, CatalogGroup>();
  for (const g of groups) {
    const prev = byName.get(g.name);
    byName.set(g.name, prev ? { name: g.name, versions: [...prev.versions, ...g.versions] } : g);
  }
  const sorted = [...byName.values()].sort((a, b) =>
    a.name === '' ? -1 : b.name === '' ? 1 : a.name.localeCompare(b.name),
  );
  return { groups: sorted, failed };
}

/** The preferred version's resources of every group, plus non-preferred-only ones (DI-08). */
export function preferredResources(catalog: ResourceCatalog): CatalogResource[] {
  const out: CatalogResource[] = [];
  for (const g of catalog.groups) {
    const seen = new Set<string>();
    const ordered = [...g.versions].sort((a, b) => Number(b.preferred) - Number(a.preferred));
    for (const v of ordered) {
      for (const r of v.resources) {
        if (seen.has(r.resource)) continue;
        seen.add(r.resource);
        out.push(r);
      }
    }
  }
  return out;
}

export function findResource(
  catalog: ResourceCatalog | undefined,
  gvr: { group: string; version: string; resource: string },
): CatalogResource | undefined {
  const group = catalog?.groups.find((g) => g.name === gvr.group);
  return group?.versions
    .find((v) => v.version === gvr.version)
    ?.resources.find((r) => r.resource === gvr.resource);
}

function sortResources(resources: CatalogResource[]): CatalogResource[] {
  return resources.sort((a, b) => a.kind.localeCompare(b.kind) || a.resource.localeCompare(b.resource));
}

/** The resource serving a kind in an apiVersion ("apps/v1", "v1"), as an owner reference names it. */
export function resourceForKind(
  catalog: ResourceCatalog | undefined,
  apiVersion: string,
  kind: string,
): CatalogResource | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const g = catalog?.groups.find((x) => x.name === group);
  const exact = g?.versions.find((v) => v.version === version)?.resources.find((r) => r.kind === kind);
  return exact ?? g?.versions.flatMap((v) => v.resources).find((r) => r.kind === kind);
}
