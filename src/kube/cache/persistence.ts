// The persistence interface the informers use to warm-start from, and write behind to, durable
// storage (BR-08). Declared here in kube/cache; implemented in src/persist (IndexedDB) so that
// kube/ never imports IndexedDB.
import type { KubeObject } from '../api/types.ts';

/**
 * Identifies one informer's cache. Persisted objects are versioned by cluster identity and GVR
 * (BR-08): switching contexts or users never reuses another's data.
 */
export interface CacheKey {
  /** kubeconfig context name. */
  context: string;
  /** The cluster's server URL, so a context renamed onto another cluster does not reuse data. */
  server: string;
  /** The user identity of the context (kubeconfig user name). */
  user: string;
  group: string;
  version: string;
  resource: string;
  /** "" for all namespaces. */
  namespace: string;
  labelSelector: string;
  fieldSelector: string;
}

export interface CacheSnapshot<T extends KubeObject = KubeObject> {
  resourceVersion: string;
  items: T[];
  /** When the snapshot was last written (ms since epoch). */
  writtenAt: number;
}

/** One batch of changes since the last write, written with the new resourceVersion in one transaction. */
export interface CacheDelta<T extends KubeObject = KubeObject> {
  resourceVersion: string;
  upserts: T[];
  /** Keys (namespace/name) removed. */
  deletes: string[];
  /** When true, the store was replaced: drop everything not in upserts first. */
  replace: boolean;
}

export interface InformerPersistence {
  /** The stored snapshot, or undefined when none (or when unavailable: warm start is best-effort). */
  load<T extends KubeObject>(key: CacheKey): Promise<CacheSnapshot<T> | undefined>;
  /** Write behind: implementations batch and never reject for quota (they evict LRU stores instead). */
  write<T extends KubeObject>(key: CacheKey, delta: CacheDelta<T>): Promise<void>;
  /** Forget one informer's cache (after a 410 makes it useless, for instance). */
  drop(key: CacheKey): Promise<void>;
  /** Forget every cache of a context. */
  clearContext(context: string): Promise<void>;
}
