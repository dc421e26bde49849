// The resource tree's model, built from discovery: groups (core first, then alphabetical), each
// with its versions (preferred first and marked, DI-05/DI-08) and their resources. Pure functions
// over the aggregated (DI-05) and legacy (DI-04, DI-06) documents; subresources are not listed.
// Built from src/kube/discovery's GroupsAndResources (discovery-query.ts); no parsing here.
import type { GroupsAndResources } from '../kube/discovery/discovery-types.ts';

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

/**
 * The tree's model from what src/kube/discovery fetched (aggregated or legacy, cached or not):
 * groups in discovery order with core first (DI-04), the preferred version first and marked
 * (DI-05/DI-08), subresources dropped, failed group versions listed (DI-07).
 */
export function catalogFromDiscovery(gr: GroupsAndResources): ResourceCatalog {
  const groups: CatalogGroup[] = [];
  for (const g of gr.groups) {
    const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
    const versions: CatalogVersion[] = [];
    for (const v of g.versions) {
      const list = gr.resources.get(v.groupVersion);
      if (!list) continue;
      const resources: CatalogResource[] = [];
      for (const r of list.resources ?? []) {
        if (typeof r?.name !== 'string' || r.name === '' || r.name.includes('/')) continue;
        const kind = typeof r.kind === 'string' ? r.kind : '';
        resources.push({
          group: g.name,
          version: v.version,
          resource: r.name,
          kind,
          singular: r.singularName || kind.toLowerCase(),
          shortNames: r.shortNames ?? [],
          namespaced: r.namespaced === true,
          verbs: r.verbs ?? [],
          categories: r.categories ?? [],
        });
      }
      versions.push({
        version: v.version,
        preferred: v.version === preferred,
        resources: sortResources(resources),
      });
    }
    versions.sort((a, b) => Number(b.preferred) - Number(a.preferred));
    if (versions.length > 0) groups.push({ name: g.name, versions });
  }
  const failed = [...gr.failed].map(([groupVersion, err]) => ({ groupVersion, message: err.message }));
  return buildCatalog(groups, failed);
}

/** The inverse, for the RESTMapper (rest-mapper.ts) over a catalog kept by react-query. */
export function groupsAndResourcesOf(catalog: ResourceCatalog): GroupsAndResources {
  const out: GroupsAndResources = { groups: [], resources: new Map(), failed: new Map() };
  for (const g of catalog.groups) {
    const gv = (version: string) => (g.name ? `${g.name}/${version}` : version);
    const preferred = g.versions.find((v) => v.preferred) ?? g.versions[0];
    out.groups.push({
      name: g.name,
      versions: g.versions.map((v) => ({ groupVersion: gv(v.version), version: v.version })),
      ...(preferred
        ? { preferredVersion: { groupVersion: gv(preferred.version), version: preferred.version } }
        : {}),
    });
    for (const v of g.versions) {
      out.resources.set(gv(v.version), {
        groupVersion: gv(v.version),
        resources: v.resources.map((r) => ({
          name: r.resource,
          kind: r.kind,
          singularName: r.singular,
          namespaced: r.namespaced,
          shortNames: [...r.shortNames],
          verbs: [...r.verbs],
          categories: [...r.categories],
        })),
      });
    }
  }
  return out;
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
