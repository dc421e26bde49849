// DI-05: turn aggregated (apidiscovery.k8s.io/v2) documents into groups and per-GV resource lists,
// the shapes the rest of the client works with (client-go discovery/aggregated_discovery.go).
import { parseMediaType } from '../rest/media-types.ts';
import { StaleGroupVersionError } from './discovery-errors.ts';
import type {
  APIGroup,
  APIGroupDiscovery,
  APIGroupDiscoveryList,
  APIResource,
  APIResourceDiscovery,
  APIResourceList,
  GroupsAndResources,
} from './discovery-types.ts';

/**
 * DI-02: is this response Content-Type the aggregated format? g, v and as may come in any order;
 * charset (and any other parameter such as profile) is ignored.
 */
export function isAggregatedContentType(contentType: string | null | undefined): boolean {
  const mt = parseMediaType(contentType);
  if (mt?.essence !== 'application/json') return false;
  const v = mt.params.get('v');
  return (
    mt.params.get('g') === 'apidiscovery.k8s.io' &&
    (v === 'v2' || v === 'v2beta1') &&
    mt.params.get('as') === 'APIGroupDiscoveryList'
  );
}

function gvString(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

function convertResource(r: APIResourceDiscovery): { resource: APIResource; ok: boolean } {
  // Like upstream, a resource without responseKind is an error, but it still serves as the parent
  // of its subresources (they need its scope).
  const resource: APIResource = {
    name: r.resource,
    singularName: r.singularResource ?? '',
    namespaced: r.scope === 'Namespaced',
    kind: r.responseKind?.kind ?? '',
    verbs: r.verbs ?? [],
  };
  if (r.responseKind?.group) resource.group = r.responseKind.group;
  if (r.responseKind?.version) resource.version = r.responseKind.version;
  if (r.shortNames?.length) resource.shortNames = r.shortNames;
  if (r.categories?.length) resource.categories = r.categories;
  const ok = !!r.resource && !!r.responseKind?.kind && (r.scope === 'Namespaced' || r.scope === 'Cluster');
  return { resource, ok };
}

function convertGroup(g: APIGroupDiscovery, out: GroupsAndResources): void {
  const name = g.metadata?.name ?? '';
  const group: APIGroup = { name, versions: [] };
  (g.versions ?? []).forEach((v, i) => {
    if (!v?.version) return;
    const gv = gvString(name, v.version);
    const ref = { groupVersion: gv, version: v.version };
    if (i === 0) group.preferredVersion = ref; // versions are listed by preference
    group.versions.push(ref);
    if (v.freshness === 'Stale') {
      out.failed.set(gv, new StaleGroupVersionError(gv));
      return;
    }
    const list: APIResourceList = { groupVersion: gv, resources: [] };
    for (const r of v.resources ?? []) {
      const { resource, ok } = convertResource(r);
      if (ok) list.resources.push(resource);
      for (const sub of r.subresources ?? []) {
        // DI-05: parent/sub, scope from the parent, GVK from the subresource's own responseKind.
        if (!sub.subresource || !sub.responseKind?.kind) continue;
        const sr: APIResource = {
          name: `${r.resource}/${sub.subresource}`,
          singularName: '',
          namespaced: resource.namespaced,
          kind: sub.responseKind.kind,
          verbs: sub.verbs ?? [],
        };
        if (sub.responseKind.group) sr.group = sub.responseKind.group;
        if (sub.responseKind.version) sr.version = sub.responseKind.version;
        list.resources.push(sr);
      }
    }
    out.resources.set(gv, list);
  });
  out.groups.push(group);
}

/** DI-05: split one or more aggregated documents (the /api one first, DI-04) into groups and resources. */
export function splitAggregated(...docs: APIGroupDiscoveryList[]): GroupsAndResources {
  const out: GroupsAndResources = { groups: [], resources: new Map(), failed: new Map() };
  for (const doc of docs) {
    if (!doc || !Array.isArray(doc.items)) throw new TypeError('aggregated discovery document has no items');
    for (const g of doc.items) convertGroup(g, out);
  }
  return out;
}
