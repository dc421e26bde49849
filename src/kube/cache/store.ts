// The Store contract the Reflector writes to and the key functions of IX-01.
// DeltaFIFO implements Store; so does the plain ThreadSafeStore-backed cache.
import type { KubeObject } from '../api/types.ts';

/**
 * What a relist could not see: the object was deleted while we were not watching, and the last
 * state we knew (possibly stale, possibly null) is all there is (DF-06, DF-13).
 */
export class DeletedFinalStateUnknown<T extends KubeObject = KubeObject> {
  constructor(
    readonly key: string,
    readonly obj: T | null,
  ) {}
}

export type KeyFunc = (obj: KubeObject | DeletedFinalStateUnknown | string) => string;

/** IX-01: "<ns>/<name>", or "<name>" for cluster-scoped objects; a string key passes through. */
export function metaNamespaceKeyFunc(obj: KubeObject | DeletedFinalStateUnknown | string): string {
  if (typeof obj === 'string') return obj;
  if (obj instanceof DeletedFinalStateUnknown) {
    throw new Error('metaNamespaceKeyFunc: use deletionHandlingMetaNamespaceKeyFunc for tombstones');
  }
  const meta = obj.metadata;
  if (!meta?.name) throw new Error('object has no metadata.name');
  return meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name;
}

/** IX-01: like metaNamespaceKeyFunc, but a tombstone yields its stored key. */
export function deletionHandlingMetaNamespaceKeyFunc(
  obj: KubeObject | DeletedFinalStateUnknown | string,
): string {
  if (obj instanceof DeletedFinalStateUnknown) return obj.key;
  return metaNamespaceKeyFunc(obj);
}

/** IX-02: one segment is ("", name); two are (ns, name); anything else is an error. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: parts[0]! };
  if (parts.length === 2) return { namespace: parts[0]!, name: parts[1]! };
  throw new Error(`unexpected key format: ${JSON.stringify(key)}`);
}

/**
 * What the Reflector may do to its store. It never reads from it. Objects passed in become
 * the store's; callers must not mutate them afterwards.
 */
export interface ReflectorStore<T extends KubeObject = KubeObject> {
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T | DeletedFinalStateUnknown<T>): void;
  /** Swap in the full state as of resourceVersion (a relist). */
  replace(items: T[], resourceVersion: string): void;
  resync(): void;
  /** Optional: told of every bookmark's resourceVersion. */
  bookmark?(resourceVersion: string): void;
}

/** IX-03: a keyed object store. Objects handed out are shared: treat them as read-only (IX-10). */
export interface Store<T extends KubeObject = KubeObject> extends ReflectorStore<T> {
  list(): readonly T[];
  listKeys(): string[];
  get(obj: T): T | undefined;
  getByKey(key: string): T | undefined;
}
