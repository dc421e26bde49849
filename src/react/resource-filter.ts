// The tree's filter understands what kubectl understands: kinds ("Deployment"), plurals and
// singulars ("pods", "pod"), short names ("po", "deploy", "svc") and group-qualified names
// ("widgets.example.com", "deployments.v1.apps"), case-insensitively. Anything else falls back to
// a substring match on kind, resource and group, so "secr" still finds secrets.
import type { CatalogGroup, CatalogResource, CatalogVersion, ResourceCatalog } from './resource-catalog.ts';

export type MatchQuality = 'exact' | 'partial';

function names(r: CatalogResource): string[] {
  return [r.resource, r.singular, r.kind.toLowerCase(), ...r.shortNames.map((s) => s.toLowerCase())];
}

/** How r matches the query, or null. The query is trimmed and lower-cased by the caller. */
export function matchResource(r: CatalogResource, q: string): MatchQuality | null {
  if (q === '') return 'partial';
  if (names(r).includes(q)) return 'exact';
  const dot = q.indexOf('.');
  if (dot > 0) {
    const head = q.slice(0, dot);
    const tail = q.slice(dot + 1);
    if (
      names(r).includes(head) &&
      (tail === r.group || tail === `${r.version}.${r.group}` || (r.group === '' && tail === r.version))
    ) {
      return 'exact';
    }
  }
  const hay = `${r.kind} ${r.resource} ${r.group}`.toLowerCase();
  return hay.includes(q) ? 'partial' : null;
}

/** The catalog with only matching resources; groups and versions left empty are dropped. */
export function filterCatalog(catalog: ResourceCatalog, query: string): ResourceCatalog {
  const q = query.trim().toLowerCase();
  if (q === '') return catalog;
  const groups: CatalogGroup[] = [];
  for (const g of catalog.groups) {
    const versions: CatalogVersion[] = [];
    for (const v of g.versions) {
      const resources = v.resources.filter((r) => matchResource(r, q) !== null);
      if (resources.length > 0) versions.push({ ...v, resources });
    }
    if (versions.length > 0) groups.push({ ...g, versions });
  }
  return { groups, failed: catalog.failed };
}

/**
 * The resource a query names, as `kubectl get <query>` would pick it: an exact match in a preferred
 * version first, core group before the others; undefined when nothing matches exactly.
 */
export function resolveResource(catalog: ResourceCatalog, query: string): CatalogResource | undefined {
  const q = query.trim().toLowerCase();
  let best: { r: CatalogResource; rank: number } | undefined;
  for (const g of catalog.groups) {
    for (const v of g.versions) {
      for (const r of v.resources) {
        if (matchResource(r, q) !== 'exact') continue;
        const rank = (v.preferred ? 0 : 2) + (g.name === '' ? 0 : 1);
        if (!best || rank < best.rank) best = { r, rank };
      }
    }
  }
  return best?.r;
}
