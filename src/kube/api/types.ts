// The shapes of Kubernetes API objects as the client machinery sees them: unstructured JSON with
// the well-known metadata. Typed objects for built-in kinds come from `kubernetes-types` and are
// structurally compatible with KubeObject.
import type { Status as MetaStatus, ObjectMeta } from 'kubernetes-types/meta/v1';

export type { ObjectMeta };

/** Any Kubernetes object. resourceVersion is an opaque string: compare for equality only (BR-11). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  selfLink?: string;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

/** metav1.Status as carried by failed responses and ERROR watch events (TE-01). */
export type Status = MetaStatus & { kind?: 'Status'; apiVersion?: string };

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** One event of a watch stream (WS-02). ERROR events carry a Status. */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

/** A resource as the API addresses it. group "" is the core group. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** "apps/v1" or "v1" for the core group. */
export function groupVersionString(gv: { group: string; version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

/** Parse an apiVersion ("v1", "apps/v1") into group and version. */
export function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
