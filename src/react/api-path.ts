// Browser-facing API paths through the proxy (RC-01 layout under /clusters/{context}).
import { clusterBasePath } from '../../proxy/contract/api.ts';
import type { GroupVersionResource } from '../kube/api/types.ts';

/** `/clusters/{ctx}/api/v1[/namespaces/{ns}]/{resource}[/{name}]` or the `/apis/{group}/{version}/…` form. */
export function resourcePath(
  context: string,
  gvr: GroupVersionResource,
  namespace: string,
  name?: string,
): string {
  const root = gvr.group === '' ? `/api/${gvr.version}` : `/apis/${gvr.group}/${gvr.version}`;
  const ns = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const tail = name ? `/${encodeURIComponent(name)}` : '';
  return `${clusterBasePath(context)}${root}${ns}/${gvr.resource}${tail}`;
}
