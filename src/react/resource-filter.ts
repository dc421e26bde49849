// The tree's filter understands what kubectl understands: kinds ("Deployment"), plurals and
// singulars ("pods", "pod"), short names ("po", "deploy", "svc") and group-qualified names
// ("widgets.example.com", "deployments.v1.apps"), case-insensitively. Anything else falls back to
// a substring match on kind, resource and group, so "secr" still finds secrets. Name resolution is
// the RESTMapper's (src/kube/discovery/rest-mapper.ts), so the tree, the palette and kubectl agree.
import { RESTMapperIndex, type RESTMapping } from '../kube/discovery/rest-mapper.ts';
import {
  type CatalogGroup,
  type CatalogResource,
  type CatalogVersion,
  findResource,
  groupsAndResourcesOf,
  preferredResources,
  type ResourceCatalog,
} from './resource-catalog.ts';

export type MatchQuality = 'exact' | 'partial';

const mappers = new WeakMap<ResourceCatalog, RESTMapperIndex>();

/** The RESTMapper index over a catalog, built once per catalog object (react-query keeps it). */
export function mapperOf(catalog: ResourceCatalog): RESTMapperIndex {
  let mapper = mappers.get(catalog);
  if (!mapper) {
    mapper = new RESTMapperIndex(groupsAndResourcesOf(catalog));
    mappers.set(catalog, mapper);
  }
  return mapper;
}

/** Whether the query names a version ("deployments.v1.apps"), so only that version is exact. */
function namesVersion(q: string, mapping: RESTMapping): boolean {
  const parts = q.split('.');
  return parts.length >= 3 && parts[1] === mapping.resource.version;
}

/**
 * How r matches the query, or null. The query is trimmed and lower-cased by the caller; `mapping`
 * is what the RESTMapper resolves the query to (kubectl's rules), undefined when nothing.
 */
export function matchResource(
  r: CatalogResource,
  q: string,
  mapping: RESTMapping | undefined,
): MatchQuality | null {
  if (q === '') return 'partial';
  if (
    mapping &&
    mapping.resource.group === r.group &&
    mapping.resource.resource === r.resource &&
    (!namesVersion(q, mapping) || mapping.resource.version === r.version)
  )
    return 'exact';
  if (r.kind.toLowerCase() === q) return 'exact';
  const hay = `${r.kind} ${r.resource} ${r.group}`.toLowerCase();
  return hay.includes(q) ? 'partial' : null;
}

/** A matcher for one query over one catalog: the RESTMapper is asked once, not per resource. */
export function resourceMatcher(
  catalog: ResourceCatalog,
  query: string,
): (r: CatalogResource) => MatchQuality | null {
  const q = query.trim().toLowerCase();
  const mapping = q === '' ? undefined : mapperOf(catalog).mappingForResource(q);
  return (r) => matchResource(r, q, mapping);
}

/** The catalog with only matching resources; groups and versions left empty are dropped. */
export function filterCatalog(catalog: ResourceCatalog, query: string): ResourceCatalog {
  if (query.trim() === '') return catalog;
  const match = resourceMatcher(catalog, query);
  const groups: CatalogGroup[] = [];
  for (const g of catalog.groups) {
    const versions: CatalogVersion[] = [];
    for (const v of g.versions) {
      const resources = v.resources.filter((r) => match(r) !== null);
      if (resources.length > 0) versions.push({ ...v, resources });
    }
    if (versions.length > 0) groups.push({ ...g, versions });
  }
  return { groups, failed: catalog.failed };
}

/**
 * The resource a query names, as `kubectl get <query>` would pick it (the RESTMapper: core group
 * first, then the preferred version); a kind name ("Deployment") as a fallback; undefined when
 * nothing matches exactly.
 */
export function resolveResource(catalog: ResourceCatalog, query: string): CatalogResource | undefined {
  const q = query.trim().toLowerCase();
  if (q === '') return undefined;
  const mapping = mapperOf(catalog).mappingForResource(q);
  if (mapping) return findResource(catalog, mapping.resource);
  for (const r of preferredResources(catalog)) if (r.kind.toLowerCase() === q) return r;
  return undefined;
}
