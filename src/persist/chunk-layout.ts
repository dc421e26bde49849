// How one informer cache is cut into chunk records (issue 4, performance).
//
// One IndexedDB record per object writes about 3,000 objects/s; records of hundreds of objects
// write several times faster. Each object is stored as a JSON string, so reading a chunk copies
// strings instead of rebuilding object graphs (structured-clone deserialization is what makes
// reads slow), and nothing is parsed until a caller asks for those objects. Chunks hold
// contiguous ranges of keys ("namespace/name", compared by UTF-16 code units, the order a view
// shows them in), so the first screen of a view is in the first chunk or two.
//
// Everything here is pure: the persistence class reads and writes the records this plans.

/** Objects per chunk when a store is (re)written. */
export const CHUNK_TARGET_SIZE = 500;
/** An incremental update splits a chunk that grows past this into pieces of about CHUNK_TARGET_SIZE. */
export const CHUNK_MAX_SIZE = 1000;

/** Where a chunk sits in the key order. Kept in the store's index record, in key order. */
export interface ChunkRef {
  /** Unique within its store; never reused while the store exists. */
  id: number;
  first: string;
  last: string;
  count: number;
}

/**
 * A chunk's objects. Invariants: keys is sorted ascending without duplicates; items[i] is the JSON
 * of the object whose key is keys[i]; both arrays have the same length.
 */
export interface ChunkContents {
  keys: string[];
  items: string[];
}

/** Changes to one chunk: upserted objects (key, JSON) and deleted keys. */
export interface ChunkChanges {
  upserts: Array<[string, string]>;
  deletes: string[];
}

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Index of the chunk a key belongs to: the last chunk whose first key is ≤ key, or chunk 0 for a
 * key before every chunk. -1 when there are no chunks. A key between two chunks goes to the
 * earlier one, which then extends its range; ranges stay disjoint and ordered.
 */
export function chunkIndexFor(refs: readonly ChunkRef[], key: string): number {
  if (refs.length === 0) return -1;
  let lo = 0;
  let hi = refs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (compareKeys((refs[mid] as ChunkRef).first, key) <= 0) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Group changes by the index of the chunk they fall in (index 0 when there are no chunks yet).
 * Each chunk's upserts apply before its deletes (see applyChanges).
 */
export function groupByChunk(
  refs: readonly ChunkRef[],
  upserts: Iterable<[string, string]>,
  deletes: Iterable<string>,
): Map<number, ChunkChanges> {
  const groups = new Map<number, ChunkChanges>();
  const groupFor = (key: string): ChunkChanges => {
    const index = Math.max(0, chunkIndexFor(refs, key));
    let group = groups.get(index);
    if (!group) {
      group = { upserts: [], deletes: [] };
      groups.set(index, group);
    }
    return group;
  };
  for (const entry of upserts) groupFor(entry[0]).upserts.push(entry);
  // With no chunks stored, a delete can only cancel an upsert of this same batch (chunk 0); with
  // nothing upserted either, there is nothing to read a chunk for.
  for (const key of deletes) if (refs.length > 0 || groups.has(0)) groupFor(key).deletes.push(key);
  return groups;
}

/** Apply changes to one chunk's contents, keeping keys sorted. The input is not modified. */
export function applyChanges(contents: ChunkContents, changes: ChunkChanges): ChunkContents {
  const byKey = new Map<string, string>();
  for (let i = 0; i < contents.keys.length; i++)
    byKey.set(contents.keys[i] as string, contents.items[i] as string);
  let added = false;
  for (const [key, json] of changes.upserts) {
    if (!byKey.has(key)) added = true;
    byKey.set(key, json);
  }
  for (const key of changes.deletes) byKey.delete(key);
  // Map iteration keeps insertion order: only new keys can break the sort.
  const keys = added ? [...byKey.keys()].sort(compareKeys) : [...byKey.keys()];
  return { keys, items: keys.map((k) => byKey.get(k) as string) };
}

export interface ChunkPlan {
  /** The store's new chunk list, in key order. */
  refs: ChunkRef[];
  /** Chunk records to write. */
  puts: Array<{ id: number; contents: ChunkContents }>;
  /** Chunk record ids to delete. */
  deletes: number[];
  /** The next unused chunk id. */
  nextId: number;
}

/**
 * Plan an incremental update: each changed chunk (by index in refs; index 0 of an empty list is a
 * new chunk) gets its new contents; a chunk left empty is deleted, and one grown past maxSize is
 * split into targetSize pieces under new ids.
 */
export function planUpdate(
  refs: readonly ChunkRef[],
  changed: ReadonlyMap<number, ChunkContents>,
  nextId: number,
  targetSize = CHUNK_TARGET_SIZE,
  maxSize = CHUNK_MAX_SIZE,
): ChunkPlan {
  const plan: ChunkPlan = { refs: [], puts: [], deletes: [], nextId };
  const slots = refs.length === 0 && changed.has(0) ? [undefined] : refs;
  slots.forEach((ref, index) => {
    const contents = changed.get(index);
    if (!contents) {
      if (ref) plan.refs.push(ref);
      return;
    }
    if (contents.keys.length === 0) {
      if (ref) plan.deletes.push(ref.id);
      return;
    }
    const pieces = contents.keys.length > maxSize ? splitEvenly(contents, targetSize) : [contents];
    pieces.forEach((piece, i) => {
      const id = i === 0 && ref ? ref.id : plan.nextId++;
      plan.puts.push({ id, contents: piece });
      plan.refs.push(refFor(id, piece));
    });
  });
  return plan;
}

export function refFor(id: number, contents: ChunkContents): ChunkRef {
  return {
    id,
    first: contents.keys[0] as string,
    last: contents.keys[contents.keys.length - 1] as string,
    count: contents.keys.length,
  };
}

/**
 * Split contents into ceil(n / targetSize) pieces of nearly equal size: 1001 objects become
 * 334 + 334 + 333, not 500 + 500 + 1 (a one-object chunk costs a record and a read of its own).
 */
export function splitEvenly(contents: ChunkContents, targetSize: number): ChunkContents[] {
  const n = contents.keys.length;
  const count = Math.max(1, Math.ceil(n / targetSize));
  const pieces: ChunkContents[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor((i * n) / count);
    const end = Math.floor(((i + 1) * n) / count);
    pieces.push({ keys: contents.keys.slice(start, end), items: contents.items.slice(start, end) });
  }
  return pieces;
}

/**
 * True when deletes have left the store in many more chunks than a rewrite would make: more than
 * twice the minimum plus a few. Reads then need many small records, so the store is recut.
 */
export function isFragmented(refs: readonly ChunkRef[], targetSize: number): boolean {
  const total = refs.reduce((n, r) => n + r.count, 0);
  return refs.length > 2 * Math.ceil(total / targetSize) + 4;
}
