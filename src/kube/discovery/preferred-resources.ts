// DI-08: serverPreferredResources. For each group and resource, the group's preferred version when
// it serves that resource, otherwise the first listed version that does. Subresources ("a/b") are
// left out. Output: one APIResourceList per group-version that wins at least one resource, in
// group order, then the group's version order.
import type { APIResourceList, GroupsAndResources } from './discovery-types.ts';

export function preferredResources(gr: GroupsAndResources): APIResourceList[] {
  const out: APIResourceList[] = [];
  for (const group of gr.groups) {
    const ordered = [...group.versions];
    const pref = group.preferredVersion?.groupVersion;
    const prefIndex = ordered.findIndex((v) => v.groupVersion === pref);
    if (prefIndex > 0) ordered.unshift(...ordered.splice(prefIndex, 1));
    const taken = new Set<string>();
    const byGv = new Map<string, APIResourceList>();
    for (const v of ordered) {
      const list = gr.resources.get(v.groupVersion);
      if (!list) continue;
      for (const r of list.resources) {
        if (r.name.includes('/') || taken.has(r.name)) continue;
        taken.add(r.name);
        let target = byGv.get(v.groupVersion);
        if (!target) {
          target = { groupVersion: v.groupVersion, resources: [] };
          byGv.set(v.groupVersion, target);
        }
        target.resources.push(r);
      }
    }
    for (const v of group.versions) {
      const list = byGv.get(v.groupVersion);
      if (list) out.push(list);
    }
  }
  return out;
}
