// InformerPersistence on the page, IndexedDB in a worker (BR-08, issue 5). Under churn the
// write-behind rewrites most stored chunks on every flush; in the page that cost (IndexedDB reads,
// structured clones, serialization) took about a fifth of the main thread. Here the page only
// stringifies the delta's changed objects (in slices, one text per object) and posts them; the
// worker's IndexedDbInformerPersistence stores those texts as is (writeJson) and does the rest.
// With directReads (the app's setting) the page reads stored caches with its own connection once
// the worker has settled the writes queued before the read (informer-cache-reader.ts says why).
// Without it a load comes back from the worker as each chunk's stored JSON texts, which the page
// parses: parsing text is cheaper for the page than deserializing cloned objects.
//
// Lifecycle (#state):
//   starting  the worker was created and has not posted 'ready': calls wait in the outbox.
//   ready     calls are posted in order; each pending request has a timeout.
//   fallback  the worker could not be created or did not start (no Worker, a script or CSP error,
//             no 'ready' in time): the in-page IndexedDbInformerPersistence serves every call,
//             outbox first, after one warning.
//   stopped   the worker crashed after starting, or close() was called: calls are no-ops (loads
//             find nothing, writes resolve) after one warning (none for close()).
// Calls never reject for a storage or worker problem (the InformerPersistence contract: warm start
// is best-effort, writes never fail the informer); they reject only for a malformed argument.
import type { KubeObject } from '../../kube/api/types.ts';
import type {
  CacheDelta,
  CacheKey,
  CacheSnapshot,
  InformerPersistence,
} from '../../kube/cache/persistence.ts';
import { type Clock, realClock, type TimerHandle } from '../../kube/clock/clock.ts';
import { cacheKeyId, normalizeCacheKey } from '../cache-key-id.ts';
import type {
  ChunkedCacheSnapshot,
  FirstObjects,
  IndexedDbInformerPersistence,
} from '../indexeddb-informer-persistence.ts';
import { type CacheRead, InformerCacheReader } from '../informer-cache-reader.ts';
import { CorruptCacheError } from '../informer-cache-transactions.ts';
import { validateDelta } from '../pending-batch.ts';
import type { PersistenceNotices } from '../persistence-notices.ts';
import { parseChunkItems } from './cache-text.ts';
import {
  type CacheText,
  errorFromShape,
  type PageMessage,
  type PersistenceOp,
  type WorkerMessage,
} from './persistence-protocol.ts';
import { DEFAULT_SLICE_SIZE, DEFAULT_STAGE_BUDGET_MS, stageUpserts } from './stage-upserts.ts';

/** What is used of a Worker (a structural type: tests pass a MessagePort-backed fake). */
export interface PersistenceWorker {
  postMessage(message: PageMessage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

/** The in-page persistence the worker's work falls back to. */
export type InPagePersistence = Pick<
  IndexedDbInformerPersistence,
  'load' | 'loadFirst' | 'loadChunked' | 'write' | 'drop' | 'clearContext' | 'flush' | 'close' | 'memoryOnly'
>;

export interface WorkerInformerPersistenceOptions {
  /**
   * Creates the worker; called once, by the constructor. Undefined (no Worker in this
   * environment) or a throw (a CSP refusal, say) means the fallback serves every call.
   */
  createWorker: (() => PersistenceWorker) | undefined;
  /** Builds the in-page persistence when the worker cannot start. Called at most once. */
  fallback: () => InPagePersistence;
  /** Where the worker's notices (no IndexedDB, storage full) are reported, for the UI. */
  notices?: PersistenceNotices;
  /** Warnings, the worker's included. Defaults to console.warn; each distinct problem once. */
  warn?: (message: string, error?: unknown) => void;
  /** Timers of the start and request timeouts. Defaults to the real clock. */
  clock?: Clock;
  /**
   * How long the worker may take to post 'ready' (default 10 s; a cold start on a loaded machine
   * takes well under 1 s) before the fallback takes over.
   */
  startTimeoutMs?: number;
  /**
   * How long a request may wait for its reply before it settles as unserved with a warning
   * (default 60 s for loads, drops and clears, 180 s for writes, flush and close, which a
   * 50,000-object relist can keep busy; far above normal, it only bounds a hung worker).
   */
  requestTimeoutMs?: { read?: number; write?: number };
  /** Objects per stage message of a write (DEFAULT_SLICE_SIZE). */
  sliceSize?: number;
  /** High-resolution time (ms) for the staging budget; defaults to performance.now. */
  now?: () => number;
  /** Awaited between slices; defaults to a macrotask (a MessageChannel message, not clamped like timers). */
  yieldToPage?: () => Promise<void>;
  /**
   * Read stored caches with the page's own connection to the worker's database
   * (informer-cache-reader.ts says why: half the read time of a 50,000-pod warm start). The worker
   * still puts each read after the writes queued before it ('settle') and adopts what was read
   * ('loaded'). Undefined: the worker reads and posts the texts. When the page cannot open the
   * database, reads go through the worker after one warning.
   */
  directReads?: { indexedDB: IDBFactory | undefined; databaseName?: string };
}

type State = 'starting' | 'ready' | 'fallback' | 'stopped';

/** How a read's result is built: from the stored texts, or by the fallback. */
interface ReadSpec<R> {
  fromText: (text: CacheText, what: string) => R;
  viaFallback: (fallback: InPagePersistence) => Promise<R>;
}

/** One call of the public API, bound to its promise; exactly one of the settle paths runs. */
interface Call {
  op: PersistenceOp;
  /**
   * Post the call's messages through post, the request (with this id) last; a write first stages
   * its upserts in slices, over several tasks. post throws WorkerGone once the worker is gone.
   */
  send(id: number, post: (message: PageMessage) => void): void | Promise<void>;
  replied(value: CacheText | null): void;
  failed(error: unknown): void;
  /** Settle without the worker (stopped, timed out): as if nothing was stored. */
  unserved(): void;
  viaFallback(fallback: InPagePersistence): void;
}

interface Pending {
  call: Call;
  timer: TimerHandle;
}

const DEFAULT_START_TIMEOUT_MS = 10_000;
const DEFAULT_READ_TIMEOUT_MS = 60_000;
const DEFAULT_WRITE_TIMEOUT_MS = 180_000;

export class WorkerInformerPersistence implements InformerPersistence {
  readonly #options: WorkerInformerPersistenceOptions;
  readonly #clock: Clock;
  readonly #warn: (message: string, error?: unknown) => void;
  readonly #warned = new Set<string>();
  readonly #timeouts: { read: number; write: number };
  readonly #sliceSize: number;
  readonly #yield: () => Promise<void>;
  readonly #now: () => number;
  #state: State = 'starting';
  #worker: PersistenceWorker | undefined;
  #fallback: InPagePersistence | undefined;
  #startTimer: TimerHandle | undefined;
  // Calls not yet posted, in call order. Invariant: drained only by #pump, one call at a time, so
  // requests reach the worker in call order even when one of them takes several tasks to build.
  readonly #outbox: Call[] = [];
  #pumping = false;
  // Posted requests awaiting their reply. Invariant: an id is here exactly while its call is unsettled.
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  // Every call's promise until it settles, for flush().
  readonly #inflight = new Set<Promise<unknown>>();
  #memoryOnly = false;
  #closed = false;
  // The page's reader, built on the first direct read.
  #reader: InformerCacheReader | undefined;
  // Set from options.directReads; turns false for good when the page could not open the database,
  // and reads then go through the worker.
  #directReads: boolean;

  constructor(options: WorkerInformerPersistenceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#warn = options.warn ?? ((message, error) => console.warn(message, error ?? ''));
    this.#timeouts = {
      read: options.requestTimeoutMs?.read ?? DEFAULT_READ_TIMEOUT_MS,
      write: options.requestTimeoutMs?.write ?? DEFAULT_WRITE_TIMEOUT_MS,
    };
    this.#sliceSize = options.sliceSize ?? DEFAULT_SLICE_SIZE;
    if (!Number.isInteger(this.#sliceSize) || this.#sliceSize < 1) {
      throw new RangeError(`sliceSize must be an integer ≥ 1, got ${this.#sliceSize}`);
    }
    this.#yield = options.yieldToPage ?? macrotask;
    // The staging budget is a few ms: performance.now, finer than a Clock (ms since the epoch).
    this.#now = options.now ?? (() => performance.now());
    this.#directReads = options.directReads !== undefined;
    this.#start();
  }

  /** True once storage is full and nothing more could be evicted (no more writes this session). */
  get memoryOnly(): boolean {
    return this.#fallback ? this.#fallback.memoryOnly : this.#memoryOnly;
  }

  // ---- reads -------------------------------------------------------------------------------

  /** The whole stored snapshot (adopted as the informer's base in the worker), or undefined. */
  load<T extends KubeObject>(key: CacheKey): Promise<CacheSnapshot<T> | undefined> {
    return this.#read<CacheSnapshot<T> | undefined>(key, null, {
      fromText: (text, what) => {
        const items: T[] = [];
        for (const chunk of text.chunks) for (const obj of parseChunkItems<T>(chunk, what)) items.push(obj);
        return { resourceVersion: text.resourceVersion, writtenAt: text.writtenAt, items };
      },
      viaFallback: (fallback) => fallback.load<T>(key),
    });
  }

  /** The first n objects in key order, as IndexedDbInformerPersistence.loadFirst. */
  loadFirst<T extends KubeObject>(key: CacheKey, n: number): Promise<FirstObjects<T> | undefined> {
    if (!Number.isInteger(n) || n < 0) {
      return Promise.reject(new RangeError(`loadFirst: n must be an integer ≥ 0, got ${n}`));
    }
    return this.#read<FirstObjects<T> | undefined>(key, n, {
      fromText: (text, what) => {
        const items: T[] = [];
        for (const chunk of text.chunks) for (const obj of parseChunkItems<T>(chunk, what)) items.push(obj);
        const { resourceVersion, writtenAt, count } = text;
        return { resourceVersion, writtenAt, count, items: items.slice(0, n) };
      },
      viaFallback: (fallback) => fallback.loadFirst<T>(key, n),
    });
  }

  /**
   * The whole stored cache with each chunk parsed only when chunks() reaches it, as
   * IndexedDbInformerPersistence.loadChunked (chunks() throws CorruptCacheError on damaged text).
   */
  loadChunked<T extends KubeObject>(key: CacheKey): Promise<ChunkedCacheSnapshot<T> | undefined> {
    return this.#read<ChunkedCacheSnapshot<T> | undefined>(key, null, {
      fromText: (text, what) => ({
        resourceVersion: text.resourceVersion,
        writtenAt: text.writtenAt,
        count: text.count,
        *chunks() {
          for (const chunk of text.chunks) yield parseChunkItems<T>(chunk, what);
        },
      }),
      viaFallback: (fallback) => fallback.loadChunked<T>(key),
    });
  }

  // ---- writes ------------------------------------------------------------------------------

  /**
   * Queue delta and return at once; the page's only work is stringifying the changed objects, in
   * slices. Resolves once the worker has committed, skipped or given up on the batch holding it.
   * Rejects only for a malformed key or delta (TypeError).
   */
  write<T extends KubeObject>(key: CacheKey, delta: CacheDelta<T>): Promise<void> {
    try {
      cacheKeyId(key);
      validateDelta(delta);
    } catch (err) {
      return Promise.reject(err);
    }
    const normalized = normalizeCacheKey(key);
    // Copies of the arrays (not the objects, which are read-only): the caller may reuse its arrays.
    const upserts: readonly KubeObject[] = [...delta.upserts];
    const deletes = [...delta.deletes];
    const { resourceVersion, replace } = delta;
    return this.#enqueue<void>('write', {
      send: async (id, post) => {
        await stageUpserts(upserts, normalized, post, {
          sliceSize: this.#sliceSize,
          budgetMs: DEFAULT_STAGE_BUDGET_MS,
          now: this.#now,
          yieldToPage: this.#yield,
          onUnserializable: (err) =>
            this.#warnOnce(
              `serialize:${cacheKeyId(normalized)}`,
              'kubeglass: could not serialize an object for storage',
              err,
            ),
          // As IndexedDbInformerPersistence does: such objects are skipped with one warning.
          onUnkeyable: () =>
            this.#warnOnce(
              `invalid:${cacheKeyId(normalized)}`,
              'kubeglass: skipped object(s) without metadata.name in an informer cache write',
            ),
        });
        post({ id, op: 'write', key: normalized, resourceVersion, deletes, replace });
      },
      fromReply: () => undefined,
      viaFallback: (fallback) =>
        fallback.write(normalized, { resourceVersion, upserts: [...upserts], deletes, replace }),
      unserved: () => undefined,
    });
  }

  drop(key: CacheKey): Promise<void> {
    try {
      cacheKeyId(key);
    } catch (err) {
      return Promise.reject(err);
    }
    const normalized = normalizeCacheKey(key);
    return this.#enqueue<void>('drop', {
      send: (id, post) => post({ id, op: 'drop', key: normalized }),
      fromReply: () => undefined,
      viaFallback: (fallback) => fallback.drop(normalized),
      unserved: () => undefined,
    });
  }

  clearContext(context: string): Promise<void> {
    if (typeof context !== 'string')
      return Promise.reject(new TypeError('clearContext: context must be a string'));
    return this.#enqueue<void>('clearContext', {
      send: (id, post) => post({ id, op: 'clearContext', context }),
      fromReply: () => undefined,
      viaFallback: (fallback) => fallback.clearContext(context),
      unserved: () => undefined,
    });
  }

  /** Resolve once every call made so far has settled and the worker has committed its writes. */
  async flush(): Promise<void> {
    const earlier = [...this.#inflight];
    await this.#enqueue<void>('flush', {
      send: (id, post) => post({ id, op: 'flush' }),
      fromReply: () => undefined,
      viaFallback: (fallback) => fallback.flush(),
      unserved: () => undefined,
    });
    await Promise.allSettled(earlier);
  }

  /** Finish queued writes, close the worker's connection and end the worker; no-ops afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#enqueue<void>('close', {
      send: (id, post) => post({ id, op: 'close' }),
      fromReply: () => undefined,
      viaFallback: (fallback) => fallback.close(),
      unserved: () => undefined,
    });
    this.#closed = true;
    this.#stop();
    await this.#reader?.close();
  }

  // ---- calls -------------------------------------------------------------------------------

  #read<R>(key: CacheKey, limit: number | null, spec: ReadSpec<R>): Promise<R | undefined> {
    let id: string;
    try {
      id = cacheKeyId(key);
    } catch (err) {
      return Promise.reject(err);
    }
    const normalized = normalizeCacheKey(key);
    if (this.#directReads) return this.#readDirectly(id, normalized, limit, spec);
    return this.#readViaWorker(id, normalized, limit, spec);
  }

  #readViaWorker<R>(id: string, key: CacheKey, limit: number | null, spec: ReadSpec<R>) {
    return this.#enqueue<R | undefined>('load', {
      send: (requestId, post) => post({ id: requestId, op: 'load', key, limit }),
      fromReply: (value) => (value === null ? undefined : this.#fromText(id, key, value, spec)),
      viaFallback: spec.viaFallback,
      unserved: () => undefined,
    });
  }

  /**
   * The worker first answers 'settle' (the writes queued before this read have landed), then the
   * page reads with its own connection and tells the worker what it read ('loaded'). In fallback
   * the in-page persistence serves the read as any other call.
   */
  async #readDirectly<R>(
    id: string,
    key: CacheKey,
    limit: number | null,
    spec: ReadSpec<R>,
  ): Promise<R | undefined> {
    type Settled = { kind: 'settled' } | { kind: 'served'; value: R | undefined };
    const settled = await this.#enqueue<Settled>('settle', {
      send: (requestId, post) => post({ id: requestId, op: 'settle', key }),
      fromReply: () => ({ kind: 'settled' }),
      viaFallback: async (fallback) => ({ kind: 'served', value: await spec.viaFallback(fallback) }),
      unserved: () => ({ kind: 'served', value: undefined }),
    });
    if (settled.kind === 'served') return settled.value;
    this.#reader ??= new InformerCacheReader({
      indexedDB: this.#options.directReads?.indexedDB,
      ...(this.#options.directReads?.databaseName === undefined
        ? {}
        : { databaseName: this.#options.directReads.databaseName }),
      warn: (message, error) => this.#warnOnce('direct-read-open', message, error),
      clock: this.#clock,
    });
    let read: CacheRead;
    try {
      read = await this.#reader.read(key, limit ?? Number.POSITIVE_INFINITY);
    } catch (err) {
      if (err instanceof CorruptCacheError) return this.#discardDamaged(id, key, err);
      read = { kind: 'unavailable' };
      this.#warnOnce('direct-read', 'kubeglass: could not read a saved informer cache in the page', err);
    }
    if (read.kind === 'unavailable') {
      // The worker may still read what the page cannot: from now on, it does.
      this.#directReads = false;
      return this.#readViaWorker(id, key, limit, spec);
    }
    if (read.kind === 'none') return undefined;
    const { record, chunks } = read.snapshot;
    void this.#enqueue<void>('loaded', {
      send: (requestId, post) =>
        post({ id: requestId, op: 'loaded', key, revision: limit === null ? record.revision : null }),
      fromReply: () => undefined,
      viaFallback: async () => undefined,
      unserved: () => undefined,
    });
    const text: CacheText = {
      resourceVersion: record.resourceVersion,
      writtenAt: record.writtenAt,
      count: record.count,
      chunks: chunks.map((chunk) => chunk.items),
    };
    return this.#fromText(id, key, text, spec);
  }

  /** spec's result from text; a damaged cache is dropped and reads as nothing stored. */
  #fromText<R>(id: string, key: CacheKey, text: CacheText, spec: ReadSpec<R>): R | undefined {
    try {
      return spec.fromText(text, id);
    } catch (err) {
      if (!(err instanceof CorruptCacheError)) throw err;
      return this.#discardDamaged(id, key, err);
    }
  }

  /** As in the page: a damaged cache is dropped (the next relist writes it again). */
  #discardDamaged(id: string, key: CacheKey, err: CorruptCacheError): undefined {
    this.#warnOnce(`corrupt:${id}`, 'kubeglass: a saved informer cache is damaged and was discarded', err);
    void this.drop(key);
    return undefined;
  }

  #enqueue<R>(
    op: PersistenceOp,
    spec: {
      send: Call['send'];
      fromReply: (value: CacheText | null) => R;
      viaFallback: (fallback: InPagePersistence) => Promise<R>;
      unserved: () => R;
    },
  ): Promise<R> {
    const promise = new Promise<R>((resolve, reject) => {
      const call: Call = {
        op,
        send: spec.send,
        replied: (value) => {
          try {
            resolve(spec.fromReply(value));
          } catch (err) {
            reject(err);
          }
        },
        failed: reject,
        unserved: () => resolve(spec.unserved()),
        viaFallback: (fallback) => spec.viaFallback(fallback).then(resolve, reject),
      };
      this.#outbox.push(call);
    });
    this.#inflight.add(promise);
    const forget = () => this.#inflight.delete(promise);
    promise.then(forget, forget);
    void this.#pump();
    return promise;
  }

  /** Hand outbox calls, in order, to whatever serves them now; waits while the worker starts. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#state !== 'starting') {
        const call = this.#outbox.shift();
        if (!call) break;
        await this.#dispatch(call);
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #dispatch(call: Call): Promise<void> {
    if (this.#state === 'fallback' && this.#fallback) {
      call.viaFallback(this.#fallback);
      return;
    }
    if (this.#state !== 'ready' || !this.#worker) {
      call.unserved();
      return;
    }
    const id = ++this.#nextId;
    const worker = this.#worker;
    // Posts only while this worker is still the one serving (it may stop while a large write is
    // being staged: the call then settles as unserved).
    const post = (message: PageMessage) => {
      if (this.#state !== 'ready' || this.#worker !== worker) throw new WorkerGone();
      worker.postMessage(message);
    };
    try {
      await call.send(id, post);
    } catch (err) {
      if (err instanceof WorkerGone) call.unserved();
      else call.failed(err); // not expected: requests hold strings and plain keys
      return;
    }
    // The reply is a later task, so registering after the post cannot miss it.
    const timeoutMs = isWriteLike(call.op) ? this.#timeouts.write : this.#timeouts.read;
    const timer = this.#clock.setTimer(() => this.#timedOut(id, timeoutMs), timeoutMs);
    this.#pending.set(id, { call, timer });
  }

  #timedOut(id: number, timeoutMs: number): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    this.#warnOnce(
      `timeout:${pending.call.op}`,
      `kubeglass: the persistence worker did not answer a ${pending.call.op} within ${timeoutMs / 1000} s; carrying on without it`,
    );
    pending.call.unserved();
  }

  // ---- the worker --------------------------------------------------------------------------

  #start(): void {
    const create = this.#options.createWorker;
    if (!create) {
      this.#fallBack('this browser has no Worker');
      return;
    }
    let worker: PersistenceWorker;
    try {
      worker = create();
    } catch (err) {
      this.#fallBack('the worker could not be created', err);
      return;
    }
    this.#worker = worker;
    worker.addEventListener('message', (event) => this.#onMessage(event.data));
    worker.addEventListener('error', (event) => {
      // Handled here: without preventDefault the browser also logs it as uncaught.
      event.preventDefault();
      this.#onFailure('failed', errorOfEvent(event));
    });
    worker.addEventListener('messageerror', () => this.#onFailure('sent a message that could not be read'));
    const startTimeoutMs = this.#options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    this.#startTimer = this.#clock.setTimer(() => {
      if (this.#state === 'starting')
        this.#fallBack(`the worker did not start within ${startTimeoutMs / 1000} s`);
    }, startTimeoutMs);
  }

  #onMessage(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const message = data as WorkerMessage;
    switch (message.type) {
      case 'ready':
        if (this.#state !== 'starting') return;
        this.#state = 'ready';
        this.#startTimer?.cancel();
        void this.#pump();
        return;
      case 'reply': {
        const pending = this.#pending.get(message.id);
        if (!pending) return; // timed out or settled by a stop: the late reply is ignored
        this.#pending.delete(message.id);
        pending.timer.cancel();
        if (message.ok) pending.call.replied(message.value);
        else pending.call.failed(errorFromShape(message.error));
        return;
      }
      case 'warn':
        this.#warn(message.message, message.detail === '' ? undefined : message.detail);
        return;
      case 'notice':
        if (message.kind === 'memory-only') this.#memoryOnly = true;
        this.#options.notices?.report(message.kind, message.message);
        return;
    }
  }

  /** The worker failed: before it started, the page takes over; after, persistence stops. */
  #onFailure(what: string, error?: unknown): void {
    if (this.#state === 'starting') this.#fallBack(`the worker ${what} before it started`, error);
    else if (this.#state === 'ready') {
      this.#warnOnce(
        'stopped',
        `kubeglass: the persistence worker ${what}; informer caches are not saved for the rest of this session`,
        error,
      );
      this.#stop();
    }
  }

  #fallBack(reason: string, error?: unknown): void {
    this.#terminate();
    this.#warnOnce(
      'fallback',
      `kubeglass: ${reason}; informer caches are saved from the page's main thread instead`,
      error,
    );
    try {
      this.#fallback = this.#options.fallback();
    } catch (err) {
      // Without either, persistence is off: calls settle as unserved rather than wait forever.
      this.#warnOnce('no-fallback', 'kubeglass: informer caches are not saved in this session', err);
      this.#state = 'stopped';
      void this.#pump();
      return;
    }
    this.#state = 'fallback';
    void this.#pump();
  }

  /** No more worker: pending and queued calls settle as unserved, later calls too. */
  #stop(): void {
    this.#state = 'stopped';
    this.#terminate();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const { call, timer } of pending) {
      timer.cancel();
      call.unserved();
    }
    void this.#pump();
  }

  #terminate(): void {
    this.#startTimer?.cancel();
    const worker = this.#worker;
    this.#worker = undefined;
    try {
      worker?.terminate();
    } catch {
      // Terminating a worker that already died cannot fail in a way that matters.
    }
  }

  #warnOnce(topic: string, message: string, error?: unknown): void {
    if (this.#warned.has(topic)) return;
    this.#warned.add(topic);
    this.#warn(message, error);
  }
}

/** Thrown by a call's post once the worker it was sending to is gone. */
class WorkerGone extends Error {
  constructor() {
    super('the persistence worker is gone');
    this.name = 'WorkerGone';
  }
}

function isWriteLike(op: PersistenceOp): boolean {
  // settle waits for writes to commit.
  return op === 'write' || op === 'settle' || op === 'flush' || op === 'close';
}

function errorOfEvent(event: Event): unknown {
  const e = event as Partial<ErrorEvent>;
  return e.error ?? (e.message ? new Error(e.message) : undefined);
}

/** A macrotask without timer clamping: a message to ourselves through a MessageChannel. */
function macrotask(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}
