// The IndexedDB layout of informer caches, and its version.
//
// Version 2 (current): object store "stores" holds one small index record per informer cache
// (CacheKey, resourceVersion, timestamps, chunk list); object store "chunks" holds that cache's
// objects as JSON strings, CHUNK_TARGET_SIZE per record, keyed [storeId, chunkId]. A snapshot is
// always a complete state at its resourceVersion: the index record and its chunks change in the
// same transaction.
//
// Upgrades discard: caches are disposable (a relist rebuilds them), so when the version changes
// every object store of the old layout, whatever it was, is deleted and the current one created.
// This never fails on unexpected old contents.
import type { CacheKey } from '../kube/cache/persistence.ts';
import type { ChunkRef } from './chunk-layout.ts';
import { DatabaseConnection, type DatabaseConnectionOptions } from './database-connection.ts';

export const INFORMER_CACHE_DB_NAME = 'kubeglass-informer-cache';
export const INFORMER_CACHE_SCHEMA_VERSION = 2;
export const STORES = 'stores';
export const CHUNKS = 'chunks';
/** Index of "stores" by context, for clearContext(). */
export const BY_CONTEXT = 'context';
/** Index of "stores" by lastUsedAt, for least-recently-used eviction. */
export const BY_LAST_USED = 'lastUsedAt';
/** Index of "chunks" by store id: finds every chunk of a store, even if its index record is damaged. */
export const BY_STORE = 'store';

/**
 * A connection to the informer cache database at this schema version (upgrading a database of
 * another version): the writer's (IndexedDbInformerPersistence) and the page's reader's
 * (InformerCacheReader). databaseName defaults to INFORMER_CACHE_DB_NAME.
 */
export function informerCacheConnection(
  options: Omit<DatabaseConnectionOptions, 'name' | 'version' | 'upgrade'> & { databaseName?: string },
): DatabaseConnection {
  const { databaseName, ...rest } = options;
  return new DatabaseConnection({
    ...rest,
    name: databaseName ?? INFORMER_CACHE_DB_NAME,
    version: INFORMER_CACHE_SCHEMA_VERSION,
    upgrade: upgradeInformerCache,
  });
}

export interface StoreRecord {
  /** cacheKeyId(key). */
  id: string;
  key: CacheKey;
  /** key.context again, at the top level so that it can be indexed. */
  context: string;
  resourceVersion: string;
  /**
   * Changes with every commit, and names the instance that made it. An incremental batch is applied
   * only on top of the revision its writer last wrote or loaded (see writeBatch).
   */
  revision: string;
  writtenAt: number;
  /** Last load or write; the store with the smallest value is evicted first on quota errors. */
  lastUsedAt: number;
  /** Total objects, the sum of the chunk counts. */
  count: number;
  /** The next chunk id to allocate. Invariant: greater than every id in chunks. */
  nextChunkId: number;
  /** The chunks in key order. */
  chunks: ChunkRef[];
}

export interface ChunkRecord {
  store: string;
  id: number;
  /** Sorted keys, parallel to items. */
  keys: string[];
  /** JSON of each object. */
  items: string[];
}

export function upgradeInformerCache(db: IDBDatabase, _oldVersion: number): void {
  for (const name of Array.from(db.objectStoreNames)) db.deleteObjectStore(name);
  const stores = db.createObjectStore(STORES, { keyPath: 'id' });
  stores.createIndex(BY_CONTEXT, 'context');
  stores.createIndex(BY_LAST_USED, 'lastUsedAt');
  const chunks = db.createObjectStore(CHUNKS, { keyPath: ['store', 'id'] });
  chunks.createIndex(BY_STORE, 'store');
}

/** Records are read back from disk, so they are checked rather than trusted. */
export function isStoreRecord(value: unknown): value is StoreRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<StoreRecord>;
  return (
    typeof r.id === 'string' &&
    typeof r.key === 'object' &&
    r.key !== null &&
    typeof r.resourceVersion === 'string' &&
    typeof r.revision === 'string' &&
    typeof r.writtenAt === 'number' &&
    typeof r.count === 'number' &&
    typeof r.nextChunkId === 'number' &&
    Array.isArray(r.chunks) &&
    r.chunks.every(
      (c: unknown) =>
        typeof c === 'object' &&
        c !== null &&
        typeof (c as ChunkRef).id === 'number' &&
        typeof (c as ChunkRef).first === 'string' &&
        typeof (c as ChunkRef).last === 'string' &&
        typeof (c as ChunkRef).count === 'number',
    )
  );
}

export function isChunkRecord(value: unknown): value is ChunkRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Partial<ChunkRecord>;
  return (
    Array.isArray(r.keys) &&
    Array.isArray(r.items) &&
    r.keys.length === r.items.length &&
    r.items.every((item: unknown) => typeof item === 'string')
  );
}
