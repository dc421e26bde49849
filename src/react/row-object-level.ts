// How much of each object a Table informer keeps (the includeObject query parameter), per key.
//
// A table draws the server's cells and keys rows by metadata; it never reads the rest of the
// object. Holding 50,000 full pods (≈ 4–5 KiB of JSON each) only to draw cells made every watch
// event parse the whole pod and kept a heap of full objects whose major GCs were the explorer's
// longest tasks under load (issue 5). So list views ask for PartialObjectMetadata rows
// (includeObject=Metadata, the apiserver's default), and full objects are asked for only where a
// view reads them:
// - the details panel, which watches its one object by `metadata.name` (every resource, CRDs
//   included, supports that field selector);
// - events (core/v1 and events.k8s.io), whose stream and per-object lists read reason, message,
//   involved object and counts from the object itself.
import type { GroupVersionResource } from '../kube/api/types.ts';

export type RowObjectLevel = 'Metadata' | 'Object';

/** True when the field selector pins one object by name (`metadata.name=x`, maybe with more terms). */
export function selectsOneName(fieldSelector: string): boolean {
  return fieldSelector.split(',').some((term) => /^\s*metadata\.name\s*==?\s*[^=!\s]/.test(term));
}

export function rowObjectLevel(gvr: GroupVersionResource, fieldSelector: string): RowObjectLevel {
  if (gvr.resource === 'events' && (gvr.group === '' || gvr.group === 'events.k8s.io')) return 'Object';
  return selectsOneName(fieldSelector) ? 'Object' : 'Metadata';
}

/** The key a details panel watches: the one object, by name, in its namespace. */
export function detailsFieldSelector(name: string): string {
  return `metadata.name=${name}`;
}
