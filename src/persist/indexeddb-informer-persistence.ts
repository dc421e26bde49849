// InformerPersistence over IndexedDB (BR-08, issue 4): informer caches written behind, in batches,
// and read back at start so a view can paint before the first list returns.
//
// Writes: write() merges the delta into the store's pending batch and returns; a pump per store
// commits the batch with the new resourceVersion in one transaction, serializing objects chunk by
// chunk inside it so that a large relist does not block the page. At most one transaction per store is in flight; deltas that
// arrive meanwhile coalesce into the next one. Secret values are stripped before serialization.
// writeJson() takes upserts already serialized (the persistence worker's path: the page's text is
// stored as is, never parsed and serialized again); write() takes objects (the in-page path).
//
// Failures never reach the informer: a quota error evicts the least recently used other store and
// retries; when nothing is left to evict the instance turns memory-only (no more writes this
// session: every write would hit the same wall) and says so once. Any other failure deletes the
// store's snapshot (so no partial state survives) and skips incremental deltas until the next
// replace. If IndexedDB cannot be opened at all, every method becomes a no-op after one warning.
import type { KubeObject } from '../kube/api/types.ts';
import type { CacheDelta, CacheKey, CacheSnapshot, InformerPersistence } from '../kube/cache/persistence.ts';
import { type Clock, realClock } from '../kube/clock/clock.ts';
import { cacheKeyId, normalizeCacheKey } from './cache-key-id.ts';
import { CHUNK_MAX_SIZE, CHUNK_TARGET_SIZE, compareKeys } from './chunk-layout.ts';
import type { DatabaseConnection } from './database-connection.ts';
import { abortQuietly, isQuotaError, transactionDone } from './idb-request.ts';
import { CHUNKS, informerCacheConnection, STORES } from './informer-cache-schema.ts';
import {
  CorruptCacheError,
  deleteStores,
  evictLeastRecentlyUsed,
  type RawSnapshot,
  type Revisions,
  readSnapshot,
  type Serialize,
  type SortedBatch,
  storeIdsOfContext,
  touchStore,
  writeBatch,
} from './informer-cache-transactions.ts';
import { describeError } from './open-database.ts';
import {
  type JsonCacheDelta,
  mergeDelta,
  mergeJsonDelta,
  type PendingBatch,
  validateDelta,
  validateJsonDelta,
} from './pending-batch.ts';
import { MEMORY_ONLY_MESSAGE, type PersistenceNotices } from './persistence-notices.ts';
import { stripSecretData, stripSecretText } from './strip-secret-data.ts';

export interface IndexedDbInformerPersistenceOptions {
  /** globalThis.indexedDB in the browser, a fake-indexeddb IDBFactory in tests; undefined disables persistence. */
  indexedDB: IDBFactory | undefined;
  /** Defaults to INFORMER_CACHE_DB_NAME. */
  databaseName?: string;
  /** Source of writtenAt and lastUsedAt, and of the open timeout's timer. Defaults to the real clock. */
  clock?: Clock;
  /** Where warnings go. Defaults to console.warn. Each distinct problem is reported once. */
  warn?: (message: string, error?: unknown) => void;
  /**
   * Awaited before a store's pump starts, so that deltas written in the same task coalesce into one
   * transaction. Defaults to a zero-delay timeout.
   */
  yieldToPage?: () => Promise<void>;
  /** Objects per chunk record (CHUNK_TARGET_SIZE); chunks split past maxChunkSize (CHUNK_MAX_SIZE). */
  chunkSize?: number;
  maxChunkSize?: number;
  /**
   * Give up opening after this long (default 10 s) and run without persistence. An open can wait
   * forever when another tab holds an older version open and never closes it.
   */
  openTimeoutMs?: number;
  /** Told once when IndexedDB is unavailable or the instance turns memory-only, for the UI. */
  notices?: PersistenceNotices;
}

/** The first objects of a stored cache in key order, for painting a view before the rest is read. */
export interface FirstObjects<T extends KubeObject> {
  resourceVersion: string;
  writtenAt: number;
  /** Objects in the whole stored cache. */
  count: number;
  items: T[];
}

/** A stored cache whose objects are parsed chunk by chunk, only as they are iterated. */
export interface ChunkedCacheSnapshot<T extends KubeObject> {
  resourceVersion: string;
  writtenAt: number;
  count: number;
  /** Objects in key order, one array per chunk. Throws CorruptCacheError if a stored object does not parse. */
  chunks(): Iterable<T[]>;
}

/** A stored cache as text: each chunk's objects as stored JSON, in key order (see loadJson). */
export interface JsonCacheSnapshot {
  resourceVersion: string;
  writtenAt: number;
  count: number;
  chunks: string[][];
}

/** Upper bound on write attempts of one batch; each quota retry first evicts another store. */
const MAX_WRITE_ATTEMPTS = 64;

interface StoreWriter {
  key: CacheKey;
  // Deltas merged since the running transaction started, and the write() calls waiting on them.
  pending: PendingBatch | undefined;
  pendingDone: Array<() => void>;
  // The pump draining `pending`. Invariant: set exactly while a pump is running for this store, so
  // at most one transaction per store is in flight.
  running: Promise<void> | undefined;
  // The stored revision this informer's state is known to match: the one this instance last
  // committed, or the one load() handed out. Undefined before either, after a failed or skipped
  // write, and after drop/clearContext: incremental deltas are then skipped until a replace.
  baseRevision: string | undefined;
}

export class IndexedDbInformerPersistence implements InformerPersistence {
  readonly #clock: Clock;
  readonly #warn: (message: string, error?: unknown) => void;
  readonly #yield: () => Promise<void>;
  readonly #sizes: { target: number; max: number };
  readonly #connection: DatabaseConnection;
  readonly #writers = new Map<string, StoreWriter>();
  // Fire-and-forget transactions (LRU touches) that flush() waits for.
  readonly #background = new Set<Promise<void>>();
  readonly #warned = new Set<string>();
  readonly #notices: PersistenceNotices | undefined;
  // Set when the storage quota is reached and eviction freed nothing more: from then on writes are
  // skipped (the informers keep their state in memory), reads and deletes still work.
  #memoryOnly = false;
  // Revisions are "<instance>:<n>": unique across tabs and page loads sharing the database.
  readonly #instanceId = randomId();
  #revisions = 0;

  constructor(options: IndexedDbInformerPersistenceOptions) {
    this.#clock = options.clock ?? realClock;
    this.#warn = options.warn ?? ((message, error) => console.warn(message, error ?? ''));
    this.#yield = options.yieldToPage ?? (() => new Promise<void>((resolve) => setTimeout(resolve, 0)));
    const target = options.chunkSize ?? CHUNK_TARGET_SIZE;
    const max = options.maxChunkSize ?? Math.max(CHUNK_MAX_SIZE, target * 2);
    if (!Number.isInteger(target) || target < 1 || !Number.isInteger(max) || max < target) {
      throw new RangeError(`chunkSize must be an integer ≥ 1 and maxChunkSize an integer ≥ chunkSize`);
    }
    this.#sizes = { target, max };
    this.#notices = options.notices;
    this.#connection = informerCacheConnection({
      factory: options.indexedDB,
      ...(options.databaseName === undefined ? {} : { databaseName: options.databaseName }),
      purpose: 'informer caches',
      warn: this.#warn,
      clock: this.#clock,
      ...(options.openTimeoutMs === undefined ? {} : { openTimeoutMs: options.openTimeoutMs }),
      ...(options.notices ? { notices: options.notices } : {}),
    });
  }

  /** True once the storage quota was reached and nothing more could be evicted (no more writes). */
  get memoryOnly(): boolean {
    return this.#memoryOnly;
  }

  // ---- reads -------------------------------------------------------------------------------

  /**
   * The stored snapshot of key. Loading adopts it as the base of this key's informer: incremental
   * deltas written afterwards are applied on top of it. Until a load or a replace, incremental
   * deltas for a key are skipped (they would be relative to a state this instance cannot vouch for).
   */
  async load<T extends KubeObject>(key: CacheKey): Promise<CacheSnapshot<T> | undefined> {
    const snapshot = await this.loadChunked<T>(key);
    if (!snapshot) return undefined;
    try {
      const items: T[] = [];
      for (const chunk of snapshot.chunks()) for (const obj of chunk) items.push(obj);
      return { resourceVersion: snapshot.resourceVersion, writtenAt: snapshot.writtenAt, items };
    } catch (err) {
      await this.#discardCorrupt(cacheKeyId(key), err);
      return undefined;
    }
  }

  /**
   * The first n objects in key order (namespace/name), reading only the chunks that hold them: the
   * first screen of a view. Does not adopt the snapshot as a base (the informer is not filled yet).
   */
  async loadFirst<T extends KubeObject>(key: CacheKey, n: number): Promise<FirstObjects<T> | undefined> {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`loadFirst: n must be an integer ≥ 0, got ${n}`);
    const id = cacheKeyId(key);
    const raw = await this.#read(id, n);
    if (!raw) return undefined;
    const items: T[] = [];
    try {
      for (const chunk of raw.chunks) {
        for (const json of chunk.items) {
          if (items.length >= n) break;
          items.push(parseObject<T>(json, id));
        }
      }
    } catch (err) {
      await this.#discardCorrupt(id, err);
      return undefined;
    }
    const { resourceVersion, writtenAt, count } = raw.record;
    return { resourceVersion, writtenAt, count, items };
  }

  /**
   * The whole stored cache, read in one transaction, with each chunk's objects parsed only when
   * chunks() reaches it: deserializing 50,000 objects, not reading them, is what makes a warm start
   * slow, so a caller can fill its store chunk by chunk and yield between them. Adopts the snapshot
   * as the informer's base, like load().
   */
  async loadChunked<T extends KubeObject>(key: CacheKey): Promise<ChunkedCacheSnapshot<T> | undefined> {
    const id = cacheKeyId(key);
    const raw = await this.#read(id, Number.POSITIVE_INFINITY);
    if (!raw) return undefined;
    // The informer is filled from this snapshot, so its later deltas are relative to it.
    this.#writerFor(id, key).baseRevision = raw.record.revision;
    const { resourceVersion, writtenAt, count } = raw.record;
    const chunks = raw.chunks;
    return {
      resourceVersion,
      writtenAt,
      count,
      *chunks() {
        for (const chunk of chunks) yield chunk.items.map((json) => parseObject<T>(json, id));
      },
    };
  }

  /**
   * The stored cache as stored text, one array of object JSON texts per chunk, unparsed: for a
   * caller that parses elsewhere (the persistence worker hands the text to the page, where parsing
   * it costs less than deserializing cloned objects). limit Infinity reads every chunk and adopts
   * the snapshot as the informer's base, like loadChunked; a finite limit reads only the chunks
   * holding the first `limit` objects and adopts nothing, like loadFirst.
   */
  async loadJson(key: CacheKey, limit: number): Promise<JsonCacheSnapshot | undefined> {
    if (limit !== Number.POSITIVE_INFINITY && !(Number.isInteger(limit) && limit >= 0)) {
      throw new RangeError(`loadJson: limit must be an integer ≥ 0 or Infinity, got ${limit}`);
    }
    const id = cacheKeyId(key);
    const raw = await this.#read(id, limit);
    if (!raw) return undefined;
    if (limit === Number.POSITIVE_INFINITY) this.#writerFor(id, key).baseRevision = raw.record.revision;
    const { resourceVersion, writtenAt, count } = raw.record;
    return { resourceVersion, writtenAt, count, chunks: raw.chunks.map((chunk) => chunk.items) };
  }

  // ---- reads by another connection ------------------------------------------------------------
  // The page reads stored caches with its own connection (InformerCacheReader) while this instance,
  // in the persistence worker, writes them: see worker-informer-persistence.ts for why. These two
  // calls keep the rules of load() for such a read: it sees the writes queued before it, and a
  // whole snapshot it read becomes the base of the informer's later deltas.

  /**
   * Resolve once the writes queued so far for key have committed, been skipped or given up on, so
   * a read that starts afterwards sees them. Never rejects for storage problems.
   */
  async settle(key: CacheKey): Promise<void> {
    await this.#settled(cacheKeyId(key));
  }

  /**
   * Another connection read key's stored cache. revision (the stored record's) is given when the
   * read was the whole cache, which the informer is then filled from: like loadChunked, adopt it as
   * the base of later incremental deltas. A delta whose base no longer matches what is stored
   * (another tab wrote in between) is skipped at commit, as for load(). Either way the store is
   * marked used.
   */
  adoptLoaded(key: CacheKey, revision: string | null): void {
    const id = cacheKeyId(key);
    if (revision !== null) this.#writerFor(id, key).baseRevision = revision;
    this.#touch(id);
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * Queue delta for writing and return at once. The Promise resolves once the batch holding it is
   * committed, skipped or given up on; it never rejects for storage problems (only for a malformed
   * key or delta, with a TypeError). Informers need not await it.
   */
  write<T extends KubeObject>(key: CacheKey, delta: CacheDelta<T>): Promise<void> {
    let id: string;
    try {
      id = cacheKeyId(key);
      validateDelta(delta);
    } catch (err) {
      return Promise.reject(err);
    }
    const writer = this.#writerFor(id, key);
    writer.pending = mergeDelta(writer.pending, delta);
    return this.#queued(id, writer);
  }

  /**
   * write() for upserts that are already JSON text, keyed by namespace/name: the text is stored as
   * is, neither parsed nor serialized again (the persistence worker receives the page's text). The
   * text must be the object as it may be stored; Secret values are still stripped here (see
   * stripSecretText), so a caller that forgot cannot put them on disk. Deltas of both kinds can
   * be mixed for one key; they coalesce in call order. Rejects only for a malformed key or delta
   * (TypeError).
   */
  writeJson(key: CacheKey, delta: JsonCacheDelta): Promise<void> {
    let id: string;
    try {
      id = cacheKeyId(key);
      validateJsonDelta(delta);
    } catch (err) {
      return Promise.reject(err);
    }
    const writer = this.#writerFor(id, key);
    writer.pending = mergeJsonDelta(writer.pending, delta);
    return this.#queued(id, writer);
  }

  async drop(key: CacheKey): Promise<void> {
    const id = cacheKeyId(key);
    const writer = this.#writers.get(id);
    if (writer) {
      discardPending(writer);
      await writer.running;
      writer.baseRevision = undefined;
    }
    await this.#inTransaction('drop', (tx) => deleteStores(tx, [id]));
  }

  async clearContext(context: string): Promise<void> {
    if (typeof context !== 'string') throw new TypeError('clearContext: context must be a string');
    const running: Promise<void>[] = [];
    for (const writer of this.#writers.values()) {
      if (writer.key.context !== context) continue;
      discardPending(writer);
      if (writer.running) running.push(writer.running);
    }
    await Promise.all(running);
    for (const writer of this.#writers.values()) {
      if (writer.key.context === context) writer.baseRevision = undefined;
    }
    await this.#inTransaction('clear-context', async (tx) =>
      deleteStores(tx, await storeIdsOfContext(tx, context)),
    );
  }

  /** Resolve once every write queued so far (and every LRU touch) has finished. */
  async flush(): Promise<void> {
    // Bounded: each round waits for work that existed when it started; new writes may keep coming.
    for (let round = 0; round < 100; round++) {
      const work = [...this.#background];
      for (const writer of this.#writers.values()) if (writer.running) work.push(writer.running);
      if (work.length === 0) return;
      await Promise.all(work);
    }
  }

  /** Finish queued writes and close the connection; the instance is a no-op afterwards. */
  async close(): Promise<void> {
    await this.flush();
    await this.#connection.close();
  }

  // ---- internals ---------------------------------------------------------------------------

  /** A promise for the pending batch just merged into, starting the store's pump if idle. */
  #queued(id: string, writer: StoreWriter): Promise<void> {
    const done = new Promise<void>((resolve) => writer.pendingDone.push(resolve));
    if (!writer.running) writer.running = this.#pump(id, writer);
    return done;
  }

  async #pump(id: string, writer: StoreWriter): Promise<void> {
    try {
      await this.#yield(); // deltas written in the same task join this first batch
      while (writer.pending) {
        const batch = writer.pending;
        const waiters = writer.pendingDone;
        writer.pending = undefined;
        writer.pendingDone = [];
        try {
          await this.#writeBatch(id, writer, batch);
        } catch (err) {
          this.#warnOnce(
            `write:${id}`,
            `kubeglass: could not persist informer cache ${describeKey(writer.key)}`,
            err,
          );
        } finally {
          for (const resolve of waiters) resolve();
        }
      }
    } finally {
      writer.running = undefined;
    }
  }

  async #writeBatch(id: string, writer: StoreWriter, batch: PendingBatch): Promise<void> {
    if (batch.invalid > 0) {
      this.#warnOnce(
        `invalid:${id}`,
        `kubeglass: skipped ${batch.invalid} object(s) without metadata.name in ${describeKey(writer.key)}`,
      );
    }
    if (this.#memoryOnly) {
      writer.baseRevision = undefined;
      return;
    }
    if (!batch.replace && writer.baseRevision === undefined) return;
    const db = await this.#database();
    if (!db) return;
    const sorted = sortBatch(batch);
    const serialize = this.#serializerFor(id, writer.key);
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      try {
        const revisions = { base: writer.baseRevision, next: this.#nextRevision() };
        const outcome = await this.#commit(db, id, writer.key, sorted, serialize, revisions);
        writer.baseRevision = outcome === 'written' ? revisions.next : undefined;
        return;
      } catch (err) {
        if (isQuotaError(err)) {
          if (await this.#evictFor(db, id)) continue;
          await this.#turnMemoryOnly(db, id, writer, err);
          return;
        }
        await this.#giveUp(db, id, writer, err);
        return;
      }
    }
    await this.#giveUp(db, id, writer, new Error(`still failing after ${MAX_WRITE_ATTEMPTS} attempts`));
  }

  async #commit(
    db: IDBDatabase,
    id: string,
    key: CacheKey,
    batch: SortedBatch,
    serialize: Serialize,
    revisions: Revisions,
  ): Promise<'written' | 'no-base'> {
    const tx = db.transaction([STORES, CHUNKS], 'readwrite', { durability: 'relaxed' });
    const done = transactionDone(tx);
    let outcome: 'written' | 'no-base';
    try {
      outcome = await writeBatch(tx, id, key, batch, serialize, revisions, this.#clock.now(), this.#sizes);
    } catch (err) {
      abortQuietly(tx);
      // The transaction's own error (a quota abort, say) says more than the request's.
      const txError = await done.then(
        () => undefined,
        (e: unknown) => e,
      );
      throw isQuotaError(txError) ? txError : err;
    }
    if (outcome === 'no-base') {
      abortQuietly(tx);
      await done.catch(() => undefined);
      return outcome;
    }
    await done;
    return outcome;
  }

  /**
   * JSON of an upsert as persisted: Secret values stripped; undefined (after a warning) if it
   * cannot be. Pre-serialized text is kept as is unless it may be a Secret (stripSecretText).
   */
  #serializerFor(id: string, key: CacheKey): Serialize {
    return (objectKey, value) => {
      try {
        if (typeof value === 'string') return stripSecretText(value, key);
        return JSON.stringify(stripSecretData(value, key));
      } catch (err) {
        // Cycles or BigInts cannot come from the API server, nor damaged text from the page; skip
        // the object, not the batch.
        this.#warnOnce(`serialize:${id}`, `kubeglass: could not serialize ${objectKey}`, err);
        return undefined;
      }
    };
  }

  /** Evict the least recently used store other than id. False when there is nothing left to evict. */
  async #evictFor(db: IDBDatabase, id: string): Promise<boolean> {
    let evicted: Awaited<ReturnType<typeof evictLeastRecentlyUsed>>;
    try {
      const tx = db.transaction([STORES, CHUNKS], 'readwrite');
      const done = transactionDone(tx);
      evicted = await evictLeastRecentlyUsed(tx, id);
      await done;
    } catch {
      return false;
    }
    if (!evicted) return false;
    // Once per instance: under a full disk every write evicts, and a warning per write is noise.
    if (!this.#warned.has('evict')) {
      this.#warned.add('evict');
      this.#warn(
        `kubeglass: storage quota reached; removing saved caches, least recently used first (first: ${evicted.key ? describeKey(evicted.key) : evicted.id}), to make room`,
      );
    }
    return true;
  }

  /** Quota reached with nothing left to evict: stop writing for this session, say so once. */
  async #turnMemoryOnly(db: IDBDatabase, id: string, writer: StoreWriter, err: unknown): Promise<void> {
    this.#memoryOnly = true;
    this.#warnOnce('memory-only', `kubeglass: ${MEMORY_ONLY_MESSAGE}`, err);
    this.#notices?.report('memory-only', MEMORY_ONLY_MESSAGE);
    for (const w of this.#writers.values()) w.baseRevision = undefined;
    writer.baseRevision = undefined;
    await this.#deleteSnapshot(db, id);
  }

  /** A batch cannot be written: delete the snapshot rather than leave it one batch behind. */
  async #giveUp(db: IDBDatabase, id: string, writer: StoreWriter, err: unknown): Promise<void> {
    writer.baseRevision = undefined;
    this.#warnOnce(
      `write:${id}`,
      `kubeglass: could not persist informer cache ${describeKey(writer.key)}; it will be saved again after the next relist`,
      err,
    );
    await this.#deleteSnapshot(db, id);
  }

  async #deleteSnapshot(db: IDBDatabase, id: string): Promise<void> {
    try {
      const tx = db.transaction([STORES, CHUNKS], 'readwrite');
      const done = transactionDone(tx);
      await deleteStores(tx, [id]);
      await done;
    } catch {
      // Deleting can fail for the same reason; without a base revision no delta lands on it.
    }
  }

  async #read(id: string, limit: number): Promise<RawSnapshot | undefined> {
    // Read your own writes: a load waits for this store's queued deltas.
    await this.#settled(id);
    const db = await this.#database();
    if (!db) return undefined;
    let raw: RawSnapshot | undefined;
    try {
      const tx = db.transaction([STORES, CHUNKS], 'readonly');
      const done = transactionDone(tx);
      raw = await readSnapshot(tx, id, limit);
      await done;
    } catch (err) {
      if (err instanceof CorruptCacheError) await this.#discardCorrupt(id, err);
      else this.#warnOnce(`read:${id}`, 'kubeglass: could not read a saved informer cache', err);
      return undefined;
    }
    if (raw) this.#touch(id);
    return raw;
  }

  /** Wait (boundedly: writes may keep coming) until no write of store id is queued or running. */
  async #settled(id: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const running = this.#writers.get(id)?.running;
      if (!running) break;
      await running;
    }
  }

  /** Mark store id used now, for least-recently-used eviction (in the background). */
  #touch(id: string): void {
    this.#track(this.#inTransaction('touch', (tx) => touchStore(tx, id, this.#clock.now())));
  }

  async #discardCorrupt(id: string, err: unknown): Promise<void> {
    this.#warnOnce(`corrupt:${id}`, 'kubeglass: a saved informer cache is damaged and was discarded', err);
    const writer = this.#writers.get(id);
    if (writer) writer.baseRevision = undefined;
    await this.#inTransaction('discard', (tx) => deleteStores(tx, [id]));
  }

  /** Run fn in a readwrite transaction; failures are warned about, never thrown. */
  async #inTransaction(what: string, fn: (tx: IDBTransaction) => Promise<void>): Promise<void> {
    const db = await this.#database();
    if (!db) return;
    try {
      const tx = db.transaction([STORES, CHUNKS], 'readwrite');
      const done = transactionDone(tx);
      try {
        await fn(tx);
      } catch (err) {
        abortQuietly(tx);
        await done.catch(() => undefined);
        throw err;
      }
      await done;
    } catch (err) {
      this.#warnOnce(`tx:${what}`, `kubeglass: informer cache ${what} failed`, err);
    }
  }

  #writerFor(id: string, key: CacheKey): StoreWriter {
    let writer = this.#writers.get(id);
    if (!writer) {
      writer = {
        key: normalizeCacheKey(key),
        pending: undefined,
        pendingDone: [],
        running: undefined,
        baseRevision: undefined,
      };
      this.#writers.set(id, writer);
    }
    return writer;
  }

  #nextRevision(): string {
    return `${this.#instanceId}:${++this.#revisions}`;
  }

  #track(work: Promise<void>): void {
    this.#background.add(work);
    void work.finally(() => this.#background.delete(work));
  }

  #database(): Promise<IDBDatabase | undefined> {
    return this.#connection.get();
  }

  #warnOnce(topic: string, message: string, error?: unknown): void {
    if (this.#warned.has(topic)) return;
    this.#warned.add(topic);
    this.#warn(message, error);
  }
}

/** The batch's upserts sorted by key (the stored order); objects are serialized later, chunk by chunk. */
function sortBatch(batch: PendingBatch): SortedBatch {
  const upserts = [...batch.upserts].sort((a, b) => compareKeys(a[0], b[0]));
  return { replace: batch.replace, resourceVersion: batch.resourceVersion, upserts, deletes: batch.deletes };
}

function randomId(): string {
  return typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function discardPending(writer: StoreWriter): void {
  writer.pending = undefined;
  const waiters = writer.pendingDone;
  writer.pendingDone = [];
  for (const resolve of waiters) resolve();
}

function parseObject<T extends KubeObject>(json: string, id: string): T {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new CorruptCacheError(`an object of ${id} is not valid JSON: ${describeError(err)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorruptCacheError(`an object of ${id} is not a JSON object`);
  }
  return value as T;
}

function describeKey(key: CacheKey): string {
  const gvr = key.group ? `${key.resource}.${key.group}/${key.version}` : `${key.resource}/${key.version}`;
  return `${gvr} in ${key.namespace || 'all namespaces'} (context ${key.context})`;
}
