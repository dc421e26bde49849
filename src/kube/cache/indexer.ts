// Indexer: a Store (IX-03) keyed by a KeyFunc, with the ThreadSafeStore's indexes (IX-06).
// Two handles over the same data (habit 6): the Indexer, which only the informer's delta
// processing writes through, and the read-only IndexerReader handed to Listers and views.
import type { KubeObject } from '../api/types.ts';
import type { Indexers } from './index-funcs.ts';
import {
  type DeletedFinalStateUnknown,
  deletionHandlingMetaNamespaceKeyFunc,
  type KeyFunc,
  type Store,
} from './store.ts';
import { ThreadSafeStore, type ThreadSafeStoreOptions } from './thread-safe-store.ts';

/** The read side of an indexer. Returned objects are shared: never mutate them (IX-10). */
export interface IndexerReader<T extends KubeObject = KubeObject> {
  list(): readonly T[];
  listKeys(): string[];
  getByKey(key: string): T | undefined;
  /** IX-06 */
  index(indexName: string, obj: T): T[];
  indexKeys(indexName: string, value: string): string[];
  byIndex(indexName: string, value: string): T[];
  listIndexFuncValues(indexName: string): string[];
  getIndexers(): Readonly<Indexers<T>>;
  readonly size: number;
}

export interface Indexer<T extends KubeObject = KubeObject> extends Store<T>, IndexerReader<T> {
  addIndexers(indexers: Indexers<T>): void;
}

export interface IndexerOptions extends ThreadSafeStoreOptions {
  /** Defaults to deletionHandlingMetaNamespaceKeyFunc, so tombstones delete by their key. */
  keyFunc?: KeyFunc;
}

export class IndexerCache<T extends KubeObject = KubeObject> implements Indexer<T> {
  readonly #store: ThreadSafeStore<T>;
  readonly #keyFunc: KeyFunc;

  constructor(indexers: Indexers<T> = {}, options: IndexerOptions = {}) {
    this.#store = new ThreadSafeStore<T>(indexers, options);
    this.#keyFunc = options.keyFunc ?? deletionHandlingMetaNamespaceKeyFunc;
  }

  keyOf(obj: T | DeletedFinalStateUnknown<T> | string): string {
    return this.#keyFunc(obj);
  }

  add(obj: T): void {
    this.#store.add(this.#keyFunc(obj), obj);
  }

  update(obj: T): void {
    this.#store.update(this.#keyFunc(obj), obj);
  }

  delete(obj: T | DeletedFinalStateUnknown<T>): void {
    this.#store.delete(this.#keyFunc(obj));
  }

  deleteKey(key: string): void {
    this.#store.delete(key);
  }

  list(): T[] {
    return this.#store.list();
  }

  listKeys(): string[] {
    return this.#store.listKeys();
  }

  get(obj: T): T | undefined {
    return this.#store.get(this.#keyFunc(obj));
  }

  getByKey(key: string): T | undefined {
    return this.#store.get(key);
  }

  get size(): number {
    return this.#store.size;
  }

  /** IX-08: keys are computed for every item before anything is swapped. */
  replace(items: readonly T[], resourceVersion: string): void {
    const entries = items.map((obj) => [this.#keyFunc(obj), obj] as const);
    this.#store.replace(entries, resourceVersion);
  }

  resync(): void {}

  index(indexName: string, obj: T): T[] {
    return this.#store.index(indexName, obj);
  }

  indexKeys(indexName: string, value: string): string[] {
    return this.#store.indexKeys(indexName, value);
  }

  byIndex(indexName: string, value: string): T[] {
    return this.#store.byIndex(indexName, value);
  }

  listIndexFuncValues(indexName: string): string[] {
    return this.#store.listIndexFuncValues(indexName);
  }

  getIndexers(): Readonly<Indexers<T>> {
    return this.#store.getIndexers();
  }

  addIndexers(indexers: Indexers<T>): void {
    this.#store.addIndexers(indexers);
  }

  /** The read-only handle for Listers and views (habit 6). */
  reader(): IndexerReader<T> {
    return readerOf(this);
  }
}

function readerOf<T extends KubeObject>(indexer: IndexerCache<T>): IndexerReader<T> {
  return {
    list: () => indexer.list(),
    listKeys: () => indexer.listKeys(),
    getByKey: (key) => indexer.getByKey(key),
    index: (name, obj) => indexer.index(name, obj),
    indexKeys: (name, value) => indexer.indexKeys(name, value),
    byIndex: (name, value) => indexer.byIndex(name, value),
    listIndexFuncValues: (name) => indexer.listIndexFuncValues(name),
    getIndexers: () => indexer.getIndexers(),
    get size() {
      return indexer.size;
    },
  };
}
