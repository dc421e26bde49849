// ThreadSafeStore (IX-03..IX-09): a keyed map of objects plus the indexes over them. There are no
// threads in a browser (BR-01); the name is client-go's, and the guarantee it names holds because
// every method is synchronous: no reader can observe a half-applied update.
//
// Misuse warning: objects returned by get/list/byIndex are the stored objects themselves. Treat
// them as read-only (IX-10). Mutating one changes what every reader sees and leaves the indexes
// describing the old values. Development builds freeze them so the mistake throws.
import type { KubeObject } from '../api/types.ts';
import type { Indexers, IndexFunc } from './index-funcs.ts';
import { deepFreeze, FREEZE_BY_DEFAULT } from './read-only.ts';

/** index value -> keys of the objects under it. Invariant: no set is ever empty (IX-05). */
type Index = Map<string, Set<string>>;

export interface ThreadSafeStoreOptions {
  /** Deep-freeze stored objects (IX-10). Defaults to FREEZE_BY_DEFAULT (dev builds only). */
  freeze?: boolean;
}

const EMPTY_KEYS: ReadonlySet<string> = new Set();

export class ThreadSafeStore<T extends KubeObject = KubeObject> {
  // Invariant: for every indexer name N, #indices.get(N) holds exactly the (value -> keys)
  // pairs obtained by applying #indexers[N] to every object in #items. Every mutation computes all
  // index values first (which may throw, IX-09) and only then writes, so the invariant survives a
  // throwing index function.
  #items = new Map<string, T>();
  #indexers: Indexers<T>;
  /** [name, fn] for every indexer, cached so the hot path allocates no entry arrays. */
  #indexList: [string, IndexFunc<T>][] = [];
  #indices = new Map<string, Index>();
  readonly #freeze: boolean;

  constructor(indexers: Indexers<T> = {}, options: ThreadSafeStoreOptions = {}) {
    this.#indexers = { ...indexers };
    this.#freeze = options.freeze ?? FREEZE_BY_DEFAULT;
    for (const name of Object.keys(this.#indexers)) this.#indices.set(name, new Map());
    this.#indexList = Object.entries(this.#indexers);
  }

  /** Insert or replace the object at key; add and update are the same upsert (IX-03). */
  add(key: string, obj: T): void {
    this.update(key, obj);
  }

  update(key: string, obj: T): void {
    const old = this.#items.get(key);
    const changes: [Index, readonly string[], readonly string[]][] = [];
    for (const [name, fn] of this.#indexList) {
      const newValues = runIndexFunc(name, fn, obj);
      const oldValues = old === undefined ? [] : runIndexFunc(name, fn, old);
      changes.push([this.#indices.get(name)!, oldValues, newValues]);
    }
    if (this.#freeze) deepFreeze(obj);
    this.#items.set(key, obj);
    for (const [index, oldValues, newValues] of changes) updateIndex(index, key, oldValues, newValues);
  }

  /** Remove the object at key; an absent key is a no-op (IX-03). */
  delete(key: string): void {
    const old = this.#items.get(key);
    if (old === undefined) return;
    const changes: [Index, readonly string[]][] = [];
    for (const [name, fn] of this.#indexList) {
      changes.push([this.#indices.get(name)!, runIndexFunc(name, fn, old)]);
    }
    this.#items.delete(key);
    for (const [index, oldValues] of changes) updateIndex(index, key, oldValues, []);
  }

  get(key: string): T | undefined {
    return this.#items.get(key);
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  get size(): number {
    return this.#items.size;
  }

  list(): T[] {
    return Array.from(this.#items.values());
  }

  listKeys(): string[] {
    return Array.from(this.#items.keys());
  }

  /** Iterate without copying. Do not mutate the store while iterating. */
  entries(): IterableIterator<[string, T]> {
    return this.#items.entries();
  }

  /**
   * IX-08: swap in a whole new item map and rebuild every index from scratch. The new map and
   * indexes are built aside and swapped in at the end, so a throwing index function leaves the old
   * state untouched and readers never see a half-built one (habit 6).
   */
  replace(items: Iterable<readonly [string, T]>, _resourceVersion?: string): void {
    const nextItems = new Map<string, T>();
    for (const [key, obj] of items) nextItems.set(key, obj);
    const nextIndices = new Map<string, Index>();
    for (const [name, fn] of Object.entries(this.#indexers)) {
      nextIndices.set(name, buildIndex(name, fn, nextItems));
    }
    if (this.#freeze) for (const obj of nextItems.values()) deepFreeze(obj);
    this.#items = nextItems;
    this.#indices = nextIndices;
  }

  /** A plain store has nothing to resync (IX-03). */
  resync(): void {}

  /** IX-06: union of the objects under every value obj has in the named index, without duplicates. */
  index(indexName: string, obj: T): T[] {
    const fn = this.#indexFunc(indexName);
    const index = this.#indices.get(indexName)!;
    const values = runIndexFunc(indexName, fn, obj);
    const keys = new Set<string>();
    for (const value of values) for (const key of index.get(value) ?? EMPTY_KEYS) keys.add(key);
    return this.#objectsFor(keys);
  }

  /** IX-06: keys of the objects under one index value. */
  indexKeys(indexName: string, value: string): string[] {
    this.#indexFunc(indexName);
    return Array.from(this.#indices.get(indexName)!.get(value) ?? EMPTY_KEYS);
  }

  /** IX-06: objects under one index value. */
  byIndex(indexName: string, value: string): T[] {
    this.#indexFunc(indexName);
    return this.#objectsFor(this.#indices.get(indexName)!.get(value) ?? EMPTY_KEYS);
  }

  /** IX-06: every value currently present in the named index. */
  listIndexFuncValues(indexName: string): string[] {
    this.#indexFunc(indexName);
    return Array.from(this.#indices.get(indexName)!.keys());
  }

  getIndexers(): Readonly<Indexers<T>> {
    return { ...this.#indexers };
  }

  /**
   * IX-07: register more indexes. Fails, registering none, if any name is taken; objects already
   * stored are indexed at once.
   */
  addIndexers(newIndexers: Indexers<T>): void {
    const conflicts = Object.keys(newIndexers).filter((name) => name in this.#indexers);
    if (conflicts.length > 0) throw new Error(`indexer conflict: ${conflicts.join(', ')}`);
    const built = new Map<string, Index>();
    for (const [name, fn] of Object.entries(newIndexers)) built.set(name, buildIndex(name, fn, this.#items));
    for (const [name, fn] of Object.entries(newIndexers)) {
      this.#indexers[name] = fn;
      this.#indices.set(name, built.get(name)!);
    }
    this.#indexList = Object.entries(this.#indexers);
  }

  #indexFunc(indexName: string): IndexFunc<T> {
    const fn = this.#indexers[indexName];
    if (!fn) throw new Error(`Index with name ${indexName} does not exist`);
    return fn;
  }

  #objectsFor(keys: Iterable<string>): T[] {
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.#items.get(key);
      if (obj !== undefined) out.push(obj);
    }
    return out;
  }
}

function runIndexFunc<T extends KubeObject>(name: string, fn: IndexFunc<T>, obj: T): readonly string[] {
  try {
    return fn(obj);
  } catch (err) {
    // IX-09: upstream panics; we throw before anything was written.
    throw new Error(`index function ${JSON.stringify(name)} failed: ${String(err)}`, { cause: err });
  }
}

function buildIndex<T extends KubeObject>(name: string, fn: IndexFunc<T>, items: Map<string, T>): Index {
  const index: Index = new Map();
  for (const [key, obj] of items) updateIndex(index, key, [], runIndexFunc(name, fn, obj));
  return index;
}

/** IX-05: move key from the values it left to the values it joined; drop sets that become empty. */
function updateIndex(
  index: Index,
  key: string,
  oldValues: readonly string[],
  newValues: readonly string[],
): void {
  // Fast path: the common case of one unchanged value (a pod staying in its namespace).
  if (oldValues.length === 1 && newValues.length === 1 && oldValues[0] === newValues[0]) return;
  for (const value of oldValues) {
    if (newValues.includes(value)) continue;
    const set = index.get(value);
    if (!set) continue;
    set.delete(key);
    if (set.size === 0) index.delete(value);
  }
  for (const value of newValues) {
    let set = index.get(value);
    if (!set) {
      set = new Set();
      index.set(value, set);
    }
    set.add(key);
  }
}
