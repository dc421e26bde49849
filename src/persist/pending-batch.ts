// Coalescing of write-behind deltas (BR-08). While a store's transaction is in flight, new deltas
// are merged into one pending batch, which becomes the next transaction: however fast deltas come,
// a store has at most one transaction running and one batch waiting.
import type { KubeObject } from '../kube/api/types.ts';
import type { CacheDelta } from '../kube/cache/persistence.ts';
import { metaNamespaceKeyFunc } from '../kube/cache/store.ts';

/**
 * The net effect of one or more deltas. Invariants: a key is never in both upserts and deletes;
 * when replace is true, deletes is empty (the replace already dropped everything not upserted).
 */
export interface PendingBatch {
  /** The stored state is to be replaced by exactly `upserts`. */
  replace: boolean;
  /** The resourceVersion of the newest delta merged in. */
  resourceVersion: string;
  upserts: Map<string, KubeObject>;
  deletes: Set<string>;
  /** Objects dropped because they have no metadata.name (they cannot be keyed). */
  invalid: number;
}

/** Throws a TypeError describing the first field of delta that has the wrong type. */
export function validateDelta(delta: CacheDelta): void {
  if (typeof delta !== 'object' || delta === null) throw new TypeError('cache delta must be an object');
  if (typeof delta.resourceVersion !== 'string') {
    throw new TypeError('cache delta resourceVersion must be a string (resourceVersions are opaque strings)');
  }
  if (!Array.isArray(delta.upserts)) throw new TypeError('cache delta upserts must be an array');
  if (!Array.isArray(delta.deletes) || delta.deletes.some((k) => typeof k !== 'string')) {
    throw new TypeError('cache delta deletes must be an array of namespace/name strings');
  }
  if (typeof delta.replace !== 'boolean') throw new TypeError('cache delta replace must be a boolean');
}

/**
 * Merge delta into batch (or start a batch). Within one delta the upserts apply first and then the
 * deletes, so a key listed in both ends up deleted. A replace delta discards whatever was pending:
 * it is the whole state.
 */
export function mergeDelta(batch: PendingBatch | undefined, delta: CacheDelta): PendingBatch {
  const next: PendingBatch =
    batch && !delta.replace
      ? batch
      : { replace: delta.replace, resourceVersion: '', upserts: new Map(), deletes: new Set(), invalid: 0 };
  next.resourceVersion = delta.resourceVersion;
  for (const obj of delta.upserts) {
    let key: string;
    try {
      key = metaNamespaceKeyFunc(obj);
    } catch {
      next.invalid++;
      continue;
    }
    next.deletes.delete(key);
    next.upserts.set(key, obj);
  }
  for (const key of delta.deletes) {
    next.upserts.delete(key);
    if (!next.replace) next.deletes.add(key);
  }
  return next;
}
