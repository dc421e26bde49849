// What each informer-cache transaction does, given an open transaction over "stores" and "chunks".
// The persistence class decides when transactions run, retries and warns; these functions only
// read and write records. Each awaits nothing but IndexedDB requests (see idb-request.ts), so the
// transaction stays active throughout.
import type { CacheKey } from '../kube/cache/persistence.ts';
import {
  applyChanges,
  type ChunkChanges,
  type ChunkContents,
  type ChunkPlan,
  type ChunkRef,
  groupByChunk,
  isFragmented,
  planUpdate,
  refFor,
  splitEvenly,
} from './chunk-layout.ts';
import { requestResult } from './idb-request.ts';
import {
  BY_CONTEXT,
  BY_LAST_USED,
  BY_STORE,
  CHUNKS,
  type ChunkRecord,
  isChunkRecord,
  isStoreRecord,
  STORES,
  type StoreRecord,
} from './informer-cache-schema.ts';
import type { PendingUpsert } from './pending-batch.ts';

/** Stored data that does not have the shape this version writes (damaged, or written by a bug). */
export class CorruptCacheError extends Error {
  override readonly name = 'CorruptCacheError';
}

/** One coalesced batch, ready to write: upserts sorted by key, and deleted keys. */
export interface SortedBatch {
  replace: boolean;
  resourceVersion: string;
  upserts: ReadonlyArray<readonly [string, PendingUpsert]>;
  deletes: Iterable<string>;
}

/**
 * Turns an upsert into the JSON to store (an object is serialized; a pre-serialized text is checked
 * and usually kept as is), or undefined to skip it (it cannot be serialized).
 */
export type Serialize = (key: string, value: PendingUpsert) => string | undefined;

export interface ChunkSizes {
  target: number;
  max: number;
}

/**
 * Chunk puts of a replace that may be outstanding at once. Each chunk is serialized just before
 * its put, and waiting for the oldest outstanding put before serializing more lets the page run
 * between chunks: the serialization and structured clone of a 50,000-object relist are spread over
 * many tasks instead of blocking the page for seconds, while the database still has a chunk queued.
 * (Headless Chromium, 50,000 pods of 5 KB: the longest stall was about 0.3 s with 2, 1.2 s with 8,
 * for nearly the same total time.)
 */
const PUT_WINDOW = 2;

/** Which stored revision a batch applies to, and the revision to write. */
export interface Revisions {
  /** The revision the writer's informer state is based on; undefined when it has none. */
  base: string | undefined;
  next: string;
}

/**
 * Write one batch and the new resourceVersion. A replace rewrites the store; an incremental batch
 * rewrites only the chunks its keys fall in.
 *
 * An incremental batch is a difference from the writer's own state, so it is applied only when the
 * stored revision is the one that state is based on; otherwise this returns 'no-base' and writes
 * nothing. Applied to nothing, it would store a partial state that looks complete; applied to
 * another tab's snapshot, it could keep an object that tab saw deleted. Either way a watch resumed
 * from the stored resourceVersion would never correct it.
 */
export async function writeBatch(
  tx: IDBTransaction,
  id: string,
  key: CacheKey,
  batch: SortedBatch,
  serialize: Serialize,
  revisions: Revisions,
  now: number,
  sizes: ChunkSizes,
): Promise<'written' | 'no-base'> {
  const stores = tx.objectStore(STORES);
  const chunks = tx.objectStore(CHUNKS);
  const existing: unknown = await requestResult(stores.get(id));

  if (batch.replace) {
    await deleteChunks(tx, id);
    const refs: ChunkRef[] = [];
    const outstanding: Promise<unknown>[] = [];
    for (let start = 0; start < batch.upserts.length; start += sizes.target) {
      const piece = serializeSlice(batch.upserts.slice(start, start + sizes.target), serialize);
      if (piece.keys.length === 0) continue;
      const chunkId = refs.length;
      refs.push(refFor(chunkId, piece));
      await windowedPut(chunks, chunkRecord(id, chunkId, piece), outstanding);
    }
    await Promise.all(outstanding);
    stores.put(storeRecord(id, key, batch.resourceVersion, revisions.next, now, refs, refs.length));
    return 'written';
  }

  if (existing === undefined) return 'no-base';
  if (!isStoreRecord(existing)) throw new CorruptCacheError(`index record of ${id} is damaged`);
  if (revisions.base === undefined || existing.revision !== revisions.base) return 'no-base';
  const upserts = serializeSlice(batch.upserts, serialize);
  const groups = groupByChunk(
    existing.chunks,
    upserts.keys.map((k, i): [string, string] => [k, upserts.items[i] as string]),
    batch.deletes,
  );
  const indices = [...groups.keys()];
  const loaded = await Promise.all(
    indices.map((index) => {
      const ref = existing.chunks[index];
      return ref ? requestResult<unknown>(chunks.get([id, ref.id])) : Promise.resolve(emptyChunk(id));
    }),
  );
  const changed = new Map<number, ChunkContents>();
  indices.forEach((index, n) => {
    const raw = loaded[n];
    if (!isChunkRecord(raw)) throw new CorruptCacheError(`chunk ${index} of ${id} is missing or damaged`);
    changed.set(index, applyChanges(raw, groups.get(index) as ChunkChanges));
  });
  const plan = planUpdate(existing.chunks, changed, existing.nextChunkId, sizes.target, sizes.max);
  if (isFragmented(plan.refs, sizes.target)) {
    await compact(tx, id, plan, sizes.target);
  } else {
    for (const chunkId of plan.deletes) chunks.delete([id, chunkId]);
    // Windowed like a replace: under uniform churn a batch rewrites most chunks, and putting them
    // all in one task structured-clones the whole store at once (seconds for 50,000 pods).
    const outstanding: Promise<unknown>[] = [];
    for (const put of plan.puts)
      await windowedPut(chunks, chunkRecord(id, put.id, put.contents), outstanding);
    await Promise.all(outstanding);
  }
  stores.put(storeRecord(id, key, batch.resourceVersion, revisions.next, now, plan.refs, plan.nextId));
  return 'written';
}

/**
 * Recut a fragmented store into full chunks, within the same transaction. Unchanged chunks are read
 * as stored strings (nothing is parsed). Updates plan.refs and plan.nextId in place.
 */
async function compact(tx: IDBTransaction, id: string, plan: ChunkPlan, targetSize: number): Promise<void> {
  const chunks = tx.objectStore(CHUNKS);
  const fresh = new Map(plan.puts.map((put) => [put.id, put.contents]));
  const contents = await Promise.all(
    plan.refs.map(async (ref): Promise<ChunkContents> => {
      const known = fresh.get(ref.id);
      if (known) return known;
      const raw: unknown = await requestResult(chunks.get([id, ref.id]));
      if (!isChunkRecord(raw)) throw new CorruptCacheError(`chunk ${ref.id} of ${id} is missing or damaged`);
      return raw;
    }),
  );
  const all: ChunkContents = {
    keys: contents.flatMap((c) => c.keys),
    items: contents.flatMap((c) => c.items),
  };
  await deleteChunks(tx, id);
  const pieces = splitEvenly(all, targetSize);
  plan.refs = pieces.map((piece, i) => refFor(i, piece));
  const outstanding: Promise<unknown>[] = [];
  for (const [i, piece] of pieces.entries())
    await windowedPut(chunks, chunkRecord(id, i, piece), outstanding);
  await Promise.all(outstanding);
  plan.nextId = pieces.length;
}

/**
 * Put one chunk, keeping at most PUT_WINDOW puts outstanding: waits for the oldest when the window
 * is full, so the page runs between chunks while the database still has one queued.
 */
async function windowedPut(chunks: IDBObjectStore, record: ChunkRecord, outstanding: Promise<unknown>[]) {
  const put = requestResult(chunks.put(record));
  // If the transaction aborts, puts not yet awaited reject; the abort is reported once, by it.
  put.catch(() => undefined);
  outstanding.push(put);
  if (outstanding.length >= PUT_WINDOW) await outstanding.shift();
}

function serializeSlice(
  entries: ReadonlyArray<readonly [string, PendingUpsert]>,
  serialize: Serialize,
): ChunkContents {
  const keys: string[] = [];
  const items: string[] = [];
  for (const [key, obj] of entries) {
    const json = serialize(key, obj);
    if (json === undefined) continue;
    keys.push(key);
    items.push(json);
  }
  return { keys, items };
}

/** A store's index record and the raw chunks holding at least its first `limit` objects. */
export interface RawSnapshot {
  record: StoreRecord;
  chunks: ChunkRecord[];
}

/**
 * Read a store: its index record, then chunks in key order until `limit` objects are covered
 * (Infinity: all of them, requested in parallel). Undefined when nothing is stored.
 */
export async function readSnapshot(
  tx: IDBTransaction,
  id: string,
  limit: number,
): Promise<RawSnapshot | undefined> {
  const raw: unknown = await requestResult(tx.objectStore(STORES).get(id));
  if (raw === undefined) return undefined;
  if (!isStoreRecord(raw)) throw new CorruptCacheError(`index record of ${id} is damaged`);
  const chunkStore = tx.objectStore(CHUNKS);
  const wanted: ChunkRef[] = [];
  let covered = 0;
  for (const ref of raw.chunks) {
    if (covered >= limit) break;
    wanted.push(ref);
    covered += ref.count;
  }
  const chunks: ChunkRecord[] = [];
  const check = (value: unknown, ref: ChunkRef): ChunkRecord => {
    if (!isChunkRecord(value) || value.keys.length !== ref.count) {
      throw new CorruptCacheError(`chunk ${ref.id} of ${id} is missing or damaged`);
    }
    return value;
  };
  if (limit === Number.POSITIVE_INFINITY) {
    const values = await Promise.all(
      wanted.map((ref) => requestResult<unknown>(chunkStore.get([id, ref.id]))),
    );
    values.forEach((value, n) => {
      chunks.push(check(value, wanted[n] as ChunkRef));
    });
  } else {
    // One at a time: the first screen usually needs a single chunk, and a request issued early
    // would delay it.
    for (const ref of wanted)
      chunks.push(check(await requestResult<unknown>(chunkStore.get([id, ref.id])), ref));
  }
  return { record: raw, chunks };
}

/** Mark a store used now, for least-recently-used eviction. Does nothing if it is not stored. */
export async function touchStore(tx: IDBTransaction, id: string, now: number): Promise<void> {
  const stores = tx.objectStore(STORES);
  const raw: unknown = await requestResult(stores.get(id));
  if (isStoreRecord(raw)) stores.put({ ...raw, lastUsedAt: now });
}

/** Delete stores with all their chunks. */
export async function deleteStores(tx: IDBTransaction, ids: Iterable<string>): Promise<void> {
  for (const id of ids) {
    await deleteChunks(tx, id);
    tx.objectStore(STORES).delete(id);
  }
}

/** The ids of every store of a context. */
export async function storeIdsOfContext(tx: IDBTransaction, context: string): Promise<string[]> {
  const keys = await requestResult(tx.objectStore(STORES).index(BY_CONTEXT).getAllKeys(context));
  return keys.filter((k): k is string => typeof k === 'string');
}

/**
 * Delete the least recently used store other than `except`. Returns the evicted store's key, or
 * undefined when there is nothing else to evict.
 */
export async function evictLeastRecentlyUsed(
  tx: IDBTransaction,
  except: string,
): Promise<{ id: string; key: CacheKey | undefined } | undefined> {
  const stores = tx.objectStore(STORES);
  // Primary keys come back in index order: oldest lastUsedAt first.
  const ids = await requestResult(stores.index(BY_LAST_USED).getAllKeys());
  let victim = ids.find((id): id is string => typeof id === 'string' && id !== except);
  if (victim === undefined) {
    // A record without lastUsedAt (damaged) is not in the index; fall back to any other store.
    const all = await requestResult(stores.getAllKeys());
    victim = all.find((id): id is string => typeof id === 'string' && id !== except);
  }
  if (victim === undefined) return undefined;
  const raw: unknown = await requestResult(stores.get(victim));
  await deleteStores(tx, [victim]);
  return { id: victim, key: isStoreRecord(raw) ? raw.key : undefined };
}

async function deleteChunks(tx: IDBTransaction, id: string): Promise<void> {
  const chunks = tx.objectStore(CHUNKS);
  const keys = await requestResult(chunks.index(BY_STORE).getAllKeys(id));
  for (const key of keys) chunks.delete(key);
}

function chunkRecord(store: string, id: number, contents: ChunkContents): ChunkRecord {
  return { store, id, keys: contents.keys, items: contents.items };
}

function emptyChunk(store: string): ChunkRecord {
  return { store, id: -1, keys: [], items: [] };
}

function storeRecord(
  id: string,
  key: CacheKey,
  resourceVersion: string,
  revision: string,
  now: number,
  refs: ChunkRef[],
  nextChunkId: number,
): StoreRecord {
  return {
    id,
    key,
    context: key.context,
    resourceVersion,
    revision,
    writtenAt: now,
    lastUsedAt: now,
    count: refs.reduce((n, ref) => n + ref.count, 0),
    nextChunkId,
    chunks: refs,
  };
}
