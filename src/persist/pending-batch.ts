// Coalescing of write-behind deltas (BR-08). While a store's transaction is in flight, new deltas
// are merged into one pending batch, which becomes the next transaction: however fast deltas come,
// a store has at most one transaction running and one batch waiting.
import type { KubeObject } from '../kube/api/types.ts';
import type { CacheDelta } from '../kube/cache/persistence.ts';
import { metaNamespaceKeyFunc } from '../kube/cache/store.ts';

/**
 * A delta whose upserts are already serialized: [namespace/name key, the object's JSON text]. The
 * persistence worker writes the page's text as is (parsing it back and stringifying it again made
 * a 50,000-pod relist persist 4× slower). The text is the object as it may be stored, Secret
 * values already stripped by whoever serialized it.
 */
export interface JsonCacheDelta {
  resourceVersion: string;
  upserts: ReadonlyArray<readonly [string, string]>;
  deletes: string[];
  replace: boolean;
}

/** An upsert waiting to be written: an object to serialize, or (a string) its JSON text, ready to store. */
export type PendingUpsert = KubeObject | string;

/**
 * The net effect of one or more deltas. Invariants: a key is never in both upserts and deletes;
 * when replace is true, deletes is empty (the replace already dropped everything not upserted).
 */
export interface PendingBatch {
  /** The stored state is to be replaced by exactly `upserts`. */
  replace: boolean;
  /** The resourceVersion of the newest delta merged in. */
  resourceVersion: string;
  upserts: Map<string, PendingUpsert>;
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
 * Throws a TypeError describing the first field of delta that has the wrong type. Each upsert must
 * be a non-empty key and a text that at least looks like a JSON object ({…}); the text is not
 * parsed here (not parsing it is the point of this path).
 */
export function validateJsonDelta(delta: JsonCacheDelta): void {
  if (typeof delta !== 'object' || delta === null) throw new TypeError('cache delta must be an object');
  if (typeof delta.resourceVersion !== 'string') {
    throw new TypeError('cache delta resourceVersion must be a string (resourceVersions are opaque strings)');
  }
  if (!Array.isArray(delta.upserts)) throw new TypeError('cache delta upserts must be an array');
  for (const [i, entry] of delta.upserts.entries()) {
    if (!Array.isArray(entry) || entry.length !== 2) {
      throw new TypeError(`cache delta upsert ${i} must be a [key, json] pair`);
    }
    const [key, json]: readonly unknown[] = entry;
    if (typeof key !== 'string' || key === '') {
      throw new TypeError(`cache delta upsert ${i}: key must be a non-empty namespace/name string`);
    }
    if (typeof json !== 'string' || !json.startsWith('{') || !json.endsWith('}')) {
      throw new TypeError(`cache delta upsert ${i} (${key}): json must be the text of a JSON object`);
    }
  }
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
  const next = startMerge(batch, delta);
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
  return finishMerge(next, delta.deletes);
}

/** mergeDelta for pre-serialized upserts (keys given, texts kept as is); same ordering rules. */
export function mergeJsonDelta(batch: PendingBatch | undefined, delta: JsonCacheDelta): PendingBatch {
  const next = startMerge(batch, delta);
  for (const [key, json] of delta.upserts) {
    next.deletes.delete(key);
    next.upserts.set(key, json);
  }
  return finishMerge(next, delta.deletes);
}

function startMerge(
  batch: PendingBatch | undefined,
  delta: { resourceVersion: string; replace: boolean },
): PendingBatch {
  const next: PendingBatch =
    batch && !delta.replace
      ? batch
      : { replace: delta.replace, resourceVersion: '', upserts: new Map(), deletes: new Set(), invalid: 0 };
  next.resourceVersion = delta.resourceVersion;
  return next;
}

function finishMerge(next: PendingBatch, deletes: readonly string[]): PendingBatch {
  for (const key of deletes) {
    next.upserts.delete(key);
    if (!next.replace) next.deletes.add(key);
  }
  return next;
}
