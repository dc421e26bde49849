// Reads stored informer caches with the page's own IndexedDB connection (issue 4, warm start).
//
// Writes run in the persistence worker, so that chunk rewrites and their structured clones stay
// off the page's main thread. Reads do not go through it: a stored cache that the worker reads and
// posts is structured-cloned twice more (serialized in the worker, deserialized in the page) on
// its way to the page, which parses it anyway. In Chromium, for 50,000 pods of 4 KiB, reading
// through the worker took 1.1–1.2 s and reading here 0.5 s, the parse (1.1 s) being the same
// (bench/README.md, "Warm start"). Deserializing a chunk here is one copy of its texts, a few ms.
//
// This class only reads. The rules a load follows (it sees the writes queued before it, a whole
// snapshot becomes the informer's base, a damaged cache is dropped) are kept by its caller,
// WorkerInformerPersistence, with the worker's 'settle' and 'loaded' requests.
import type { CacheKey } from '../kube/cache/persistence.ts';
import type { Clock } from '../kube/clock/clock.ts';
import { cacheKeyId } from './cache-key-id.ts';
import type { DatabaseConnection } from './database-connection.ts';
import { transactionDone } from './idb-request.ts';
import { CHUNKS, informerCacheConnection, STORES } from './informer-cache-schema.ts';
import { type RawSnapshot, readSnapshot } from './informer-cache-transactions.ts';

export interface InformerCacheReaderOptions {
  /** globalThis.indexedDB in the browser; undefined means this reader can read nothing. */
  indexedDB: IDBFactory | undefined;
  /** The database the worker writes (default: the app's informer cache). */
  databaseName?: string;
  /** Told once when the database cannot be opened here. */
  warn: (message: string, error?: unknown) => void;
  clock?: Clock;
  openTimeoutMs?: number;
}

/** What a read found: a stored cache, nothing stored, or no database to read here. */
export type CacheRead = { kind: 'found'; snapshot: RawSnapshot } | { kind: 'none' } | { kind: 'unavailable' };

export class InformerCacheReader {
  readonly #connection: DatabaseConnection;

  constructor(options: InformerCacheReaderOptions) {
    this.#connection = informerCacheConnection({
      factory: options.indexedDB,
      ...(options.databaseName === undefined ? {} : { databaseName: options.databaseName }),
      purpose: 'informer caches (reads in the page)',
      warn: options.warn,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.openTimeoutMs === undefined ? {} : { openTimeoutMs: options.openTimeoutMs }),
    });
  }

  /**
   * key's stored index record and the chunks covering its first `limit` objects (Infinity: all),
   * in one read-only transaction, so they are consistent with each other. Rejects with
   * CorruptCacheError for a damaged record, and with the IndexedDB error when the read fails.
   */
  async read(key: CacheKey, limit: number): Promise<CacheRead> {
    const id = cacheKeyId(key);
    const db = await this.#connection.get();
    if (!db) return { kind: 'unavailable' };
    const tx = db.transaction([STORES, CHUNKS], 'readonly');
    const done = transactionDone(tx);
    // A failed request fails the transaction too: its rejection is then reported by readSnapshot.
    done.catch(() => {});
    const snapshot = await readSnapshot(tx, id, limit);
    await done;
    return snapshot ? { kind: 'found', snapshot } : { kind: 'none' };
  }

  async close(): Promise<void> {
    await this.#connection.close();
  }
}
