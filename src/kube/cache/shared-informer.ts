// SharedIndexInformer (SI-01..SI-10): one Reflector feeding a DeltaFIFO whose knownObjects is the
// indexer; one processing loop that pops deltas, updates the indexer and then tells listeners;
// per-handler resync; replay for late handlers; batched change notifications for views; warm
// start from persistence (or from a previous instance's cache) and write-behind (BR-08).
//
// Writer/reader split (habit 6): only #processDeltas (and the warm start before it) writes the
// indexer. Everyone else gets getIndexer() / lister(), which are read-only views of shared objects.
import type { KubeObject } from '../api/types.ts';
import { type Clock, realClock } from '../clock/clock.ts';
import {
  ChangeBatcher,
  type ChangeListener,
  defaultFlushScheduler,
  type FlushScheduler,
} from './change-batcher.ts';
import { DeltaFIFO, type Deltas } from './delta-fifo.ts';
import { defaultIndexers, type Indexers } from './index-funcs.ts';
import { IndexerCache, type IndexerReader } from './indexer.ts';
import { createLister, type Lister } from './lister.ts';
import type { ListerWatcher } from './lister-watcher.ts';
import type { CacheKey, InformerPersistence } from './persistence.ts';
import { ProcessorListener, type ResourceEventHandler } from './processor-listener.ts';
import {
  Reflector,
  type ReflectorOptions,
  type ReflectorStatus,
  type WatchErrorHandler,
} from './reflector.ts';
import { determineResyncPeriod, MINIMUM_RESYNC_PERIOD_MS, SharedProcessor } from './shared-processor.ts';
import {
  DeletedFinalStateUnknown,
  deletionHandlingMetaNamespaceKeyFunc,
  type KeyFunc,
  type ReflectorStore,
} from './store.ts';
import { waitForCacheSync } from './wait-for-cache-sync.ts';
import { WriteBehind } from './write-behind.ts';

/** A cache to start from: a persisted snapshot, or the cache of a previous informer instance. */
export interface InformerSeed<T extends KubeObject = KubeObject> {
  items: readonly T[];
  resourceVersion: string;
}

export interface SharedIndexInformerOptions<T extends KubeObject> {
  /** SI-04: the default handler resync period and initial check period (ms). 0 = none. */
  resyncPeriodMs?: number;
  /** Added to the default namespace index (IX-10). */
  indexers?: Indexers<T>;
  keyFunc?: KeyFunc;
  clock?: Clock;
  random?: () => number;
  /** Reflector tuning: page size, streaming lists, expected kind, timeouts, backoff. */
  reflector?: Pick<
    ReflectorOptions<T>,
    | 'pageSize'
    | 'useWatchList'
    | 'expectedKind'
    | 'pagedList'
    | 'minWatchTimeoutSeconds'
    | 'maxInternalErrorRetryDurationMs'
    | 'idleTimeoutMarginMs'
    | 'backoff'
    | 'name'
  >;
  /** BR-08: warm start from, and write behind to, durable storage. */
  persistence?: { store: InformerPersistence; key: CacheKey; writeDelayMs?: number };
  /** Warm start from memory (used by the factory to restart an idle informer). Wins over persistence. */
  seed?: InformerSeed<T>;
  /** Schedules batched change notifications (default: microtasks drained, then one macrotask). */
  scheduler?: FlushScheduler;
  /** IX-10: deep-freeze cached objects (default: dev builds only). */
  freeze?: boolean;
  warn?: (message: string, error?: unknown) => void;
}

/** What addEventHandler returns (SI-07). */
export interface HandlerRegistration {
  /** The informer has synced and this handler has handled every initial-list add it was given. */
  hasSynced(): boolean;
  remove(): void;
}

export class SharedIndexInformer<T extends KubeObject = KubeObject> {
  readonly #lw: ListerWatcher<T>;
  readonly #indexer: IndexerCache<T>;
  readonly #processor = new SharedProcessor<T>();
  readonly #changes: ChangeBatcher;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #keyFunc: KeyFunc;
  readonly #warn: (message: string, error?: unknown) => void;
  readonly #options: SharedIndexInformerOptions<T>;
  /** SI-04: the informer's default handler period. */
  readonly #defaultResyncMs: number;
  /** SI-04: how often the reflector asks shouldResync; may only be lowered before start. */
  #resyncCheckPeriodMs: number;
  #transform: ((obj: T) => T) | undefined;
  #watchErrorHandler: WatchErrorHandler | undefined;

  #started = false;
  #stopped = false;
  #fifo: DeltaFIFO<T> | undefined;
  #reflector: Reflector<T> | undefined;
  #writeBehind: WriteBehind<T> | undefined;
  /**
   * Keys restored by a warm start that no live list has confirmed yet. Their stored object may be
   * stale or stripped (Secrets), so the first live Replaced delta for them is a real update even
   * when the resourceVersion did not change (otherwise SI-03 would hide it from most handlers).
   */
  #restored = new Set<string>();
  /** The RV the indexer reflects completely: lastSyncRV as of the last time the FIFO was empty. */
  #persistRV = '';
  readonly #consumerListeners = new Set<(count: number) => void>();
  readonly #statusListeners = new Set<(status: ReflectorStatus) => void>();

  constructor(lw: ListerWatcher<T>, options: SharedIndexInformerOptions<T> = {}) {
    this.#lw = lw;
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#random = options.random ?? Math.random;
    this.#keyFunc = options.keyFunc ?? deletionHandlingMetaNamespaceKeyFunc;
    this.#warn = options.warn ?? ((message, error) => console.warn(`informer: ${message}`, error ?? ''));
    this.#defaultResyncMs = options.resyncPeriodMs ?? 0;
    this.#resyncCheckPeriodMs = this.#defaultResyncMs;
    this.#indexer = new IndexerCache<T>(
      { ...(defaultIndexers() as Indexers<T>), ...options.indexers },
      { keyFunc: this.#keyFunc, ...(options.freeze !== undefined ? { freeze: options.freeze } : {}) },
    );
    this.#changes = new ChangeBatcher(
      options.scheduler ?? defaultFlushScheduler,
      () => this.hasSynced(),
      this.#warn,
    );
  }

  /** SI-09: follows the FIFO (DF-12); false before run and while serving a warm-start cache. */
  hasSynced(): boolean {
    return this.#fifo?.hasSynced() ?? false;
  }

  /** The reflector's lastWatchActivity(): when the open watch last delivered an event. */
  lastWatchActivity(): number | undefined {
    return this.#reflector?.lastWatchActivity();
  }

  lastSyncResourceVersion(): string {
    return this.#reflector?.lastSyncResourceVersion() ?? this.#options.seed?.resourceVersion ?? '';
  }

  isStarted(): boolean {
    return this.#started;
  }

  isStopped(): boolean {
    return this.#stopped;
  }

  /** The read-only indexer (IX-10): never mutate what it returns. */
  getIndexer(): IndexerReader<T> {
    return this.#indexer.reader();
  }

  lister(): Lister<T> {
    return createLister(this.#indexer.reader());
  }

  /** SI-08: allowed until the informer stops; IX-07 applies. */
  addIndexers(indexers: Indexers<T>): void {
    if (this.#stopped) throw new Error('informer has already stopped');
    this.#indexer.addIndexers(indexers);
  }

  /** SI-08 / DF-09 */
  setTransform(transform: (obj: T) => T): void {
    if (this.#started) throw new Error('informer has already started');
    this.#transform = transform;
  }

  /** SI-08 / R-03 */
  setWatchErrorHandler(handler: WatchErrorHandler): void {
    if (this.#started) throw new Error('informer has already started');
    this.#watchErrorHandler = handler;
  }

  /** BR-06: retry at once if in backoff; resume a possibly dead watch (Reflector.retryNow). */
  retryNow(): void {
    this.#reflector?.retryNow();
  }

  /** The reflector's status for the UI (listing/watching/backoff/stopped). */
  status(): ReflectorStatus {
    if (this.#reflector) return this.#reflector.status();
    return { phase: this.#stopped ? 'stopped' : 'listing', lastSyncRV: this.lastSyncResourceVersion() };
  }

  subscribeStatus(listener: (status: ReflectorStatus) => void): () => void {
    this.#statusListeners.add(listener);
    this.#emitConsumers();
    return () => {
      if (this.#statusListeners.delete(listener)) this.#emitConsumers();
    };
  }

  /**
   * SI-02/SI-04/SI-06/SI-07: register a handler. After start it first receives one
   * onAdd(obj, true) per cached object, queued before any later change. Adding to a stopped
   * informer is an error.
   */
  addEventHandler(
    handler: ResourceEventHandler<T>,
    resyncPeriodMs = this.#defaultResyncMs,
  ): HandlerRegistration {
    if (this.#stopped) throw new Error('handler cannot be added to a stopped informer');
    let period = resyncPeriodMs;
    if (period > 0) {
      if (period < MINIMUM_RESYNC_PERIOD_MS) period = MINIMUM_RESYNC_PERIOD_MS;
      if (period < this.#resyncCheckPeriodMs) {
        if (this.#started) {
          period = this.#resyncCheckPeriodMs;
        } else {
          this.#resyncCheckPeriodMs = period;
          this.#processor.resyncCheckPeriodChanged(period);
        }
      }
    }
    const listener = new ProcessorListener<T>(
      handler,
      period,
      determineResyncPeriod(period, this.#resyncCheckPeriodMs),
      this.#clock,
      this.#warn,
    );
    // SI-06: the replay and the registration happen in one synchronous step, so no delta can be
    // processed in between (BR-01): the handler sees every object exactly once, then changes.
    if (this.#started)
      for (const obj of this.#indexer.list()) listener.add({ type: 'add', obj, isInInitialList: true });
    this.#processor.add(listener);
    this.#emitConsumers();
    return {
      hasSynced: () => this.hasSynced() && listener.hasDeliveredInitialList(),
      remove: () => {
        if (this.#processor.remove(listener)) this.#emitConsumers();
      },
    };
  }

  /** Batched change notification for views: at most one call per flush, with the changed keys. */
  subscribe(listener: ChangeListener): () => void {
    const unsubscribe = this.#changes.subscribe(listener);
    this.#emitConsumers();
    return () => {
      const before = this.#changes.size;
      unsubscribe();
      if (this.#changes.size !== before) this.#emitConsumers();
    };
  }

  /** Handlers + change subscribers + status subscribers: the factory stops informers nobody uses. */
  consumerCount(): number {
    return this.#processor.size + this.#changes.size + this.#statusListeners.size;
  }

  onConsumerCountChange(listener: (count: number) => void): () => void {
    this.#consumerListeners.add(listener);
    return () => this.#consumerListeners.delete(listener);
  }

  /** SI-09 */
  waitForCacheSync(signal: AbortSignal): Promise<boolean> {
    return waitForCacheSync(this.#clock, signal, () => this.hasSynced());
  }

  /**
   * SI-01: run until signal aborts. A second call warns and returns. Resolves after the
   * reflector, the processing loop and (SI-10) the listeners have stopped, and the last
   * write-behind has been handed to persistence.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#started) {
      this.#warn('the informer has already been started');
      return;
    }
    this.#started = true;
    const fifo = new DeltaFIFO<T>({
      keyFunc: this.#keyFunc,
      knownObjects: this.#indexer,
      emitDeltaTypeReplaced: true,
      ...(this.#transform ? { transformer: this.#transform } : {}),
    });
    this.#fifo = fifo;
    try {
      const seeded = await this.#warmStart(signal);
      if (this.#options.persistence) {
        const { store, key, writeDelayMs } = this.#options.persistence;
        this.#writeBehind = new WriteBehind<T>(
          store,
          key,
          { resourceVersion: () => this.#persistRV, list: () => this.#indexer.list() },
          {
            clock: this.#clock,
            fullRewrite: !seeded,
            warn: this.#warn,
            ...(writeDelayMs !== undefined ? { delayMs: writeDelayMs } : {}),
          },
        );
      }
      if (signal.aborted) return;
      // The FIFO is the reflector's store; a replace may make the informer synced with no delta
      // to pop (an empty list), so views are poked after each one.
      const store: ReflectorStore<T> = {
        add: (obj) => fifo.add(obj),
        update: (obj) => fifo.update(obj),
        delete: (obj) => fifo.delete(obj),
        replace: (items, rv) => {
          fifo.replace(items, rv);
          // A relist describes the whole state: persist it whole, so a snapshot that another tab
          // replaced or that quota eviction dropped meanwhile is rebuilt rather than patched.
          this.#writeBehind?.replaceAll();
          this.#changes.poke();
        },
        resync: () => fifo.resync(),
      };
      const reflector = new Reflector<T>(this.#lw, store, {
        ...this.#options.reflector,
        keyFunc: this.#keyFunc,
        clock: this.#clock,
        random: this.#random,
        warn: this.#warn,
        resyncPeriodMs: this.#resyncCheckPeriodMs,
        shouldResync: () => this.#processor.shouldResync(this.#clock.now()),
        initialResourceVersion: this.#persistRV,
        ...(this.#watchErrorHandler ? { watchErrorHandler: this.#watchErrorHandler } : {}),
      });
      this.#reflector = reflector;
      const unsubscribeStatus = reflector.subscribeStatus((status) => this.#emitStatus(status));
      const processing = this.#processLoop(fifo);
      await reflector.run(signal);
      unsubscribeStatus();
      fifo.close();
      await processing;
      await this.#writeBehind?.flush();
    } finally {
      fifo.close(); // idempotent; also ends the processing loop if the reflector threw
      this.#writeBehind?.dispose();
      this.#stopped = true;
      this.#processor.stop();
      this.#changes.poke();
      this.#emitStatus(this.status());
      this.#emitConsumers();
    }
  }

  #emitStatus(status: ReflectorStatus): void {
    for (const listener of this.#statusListeners) {
      try {
        listener(status);
      } catch (error) {
        this.#warn('a status listener threw', error);
      }
    }
  }

  /** BR-08: fill the indexer from the seed or persistence; stale until a live list lands. */
  async #warmStart(signal: AbortSignal): Promise<boolean> {
    let seed: InformerSeed<T> | undefined = this.#options.seed;
    if (seed === undefined && this.#options.persistence) {
      const { store, key } = this.#options.persistence;
      try {
        seed = await store.load<T>(key);
      } catch (error) {
        this.#warn('loading the persisted cache failed; starting cold', error);
      }
    }
    if (seed === undefined || signal.aborted || seed.resourceVersion === '') return false;
    const entries: [string, T][] = [];
    for (const obj of seed.items) {
      try {
        entries.push([this.#keyFunc(obj), obj]);
      } catch (error) {
        this.#warn('skipping a persisted object without a key', error);
      }
    }
    const items = entries.map(([, obj]) => obj);
    try {
      this.#indexer.replace(items, seed.resourceVersion);
    } catch (error) {
      this.#warn('the persisted cache could not be indexed; starting cold', error);
      return false;
    }
    this.#restored = new Set(entries.map(([key]) => key));
    this.#persistRV = seed.resourceVersion;
    // Handlers registered before run hear about the restored objects like an initial list.
    for (const obj of items) this.#processor.distribute({ type: 'add', obj, isInInitialList: true }, false);
    for (const [key] of entries) this.#changes.changed(key);
    return true;
  }

  async #processLoop(fifo: DeltaFIFO<T>): Promise<void> {
    const process = (deltas: Deltas<T>, isInInitialList: boolean) =>
      this.#processDeltas(deltas, isInInitialList);
    for (;;) {
      try {
        if (!(await fifo.pop(process))) return;
      } catch (error) {
        // IX-09: an index function threw; the object was not applied. Loud, not fatal.
        this.#warn('processing deltas failed', error);
      }
      if (fifo.length === 0 && this.#reflector) {
        this.#persistRV = this.#reflector.lastSyncResourceVersion();
        if (this.#restored.size > 0 && fifo.hasSynced()) this.#restored.clear();
      }
    }
  }

  /** SI-02: the indexer always changes before listeners are told. Runs inside pop (DF-08). */
  #processDeltas(deltas: Deltas<T>, isInInitialList: boolean): void {
    const wasSynced = this.hasSynced();
    for (const delta of deltas) {
      const obj = delta.object;
      if (delta.type === 'Deleted') {
        const key = this.#keyFunc(obj);
        this.#indexer.delete(obj);
        this.#restored.delete(key);
        this.#processor.distribute({ type: 'delete', obj }, false);
        this.#changes.changed(key);
        this.#writeBehind?.delete(key);
        continue;
      }
      if (obj instanceof DeletedFinalStateUnknown) continue; // only Deleted carries tombstones
      const key = this.#keyFunc(obj);
      const old = this.#indexer.getByKey(key);
      if (old === undefined) {
        this.#indexer.add(obj);
        this.#processor.distribute({ type: 'add', obj, isInInitialList }, false);
        this.#changes.changed(key);
        this.#writeBehind?.upsert(key, obj);
        continue;
      }
      this.#indexer.update(obj);
      // SI-03: an unchanged resourceVersion is a sync notification, except for a restored object
      // the first live list confirms (see #restored).
      const sameRV = old.metadata?.resourceVersion === obj.metadata?.resourceVersion;
      const restored = this.#restored.delete(key);
      const isSync = sameRV && !restored;
      this.#processor.distribute({ type: 'update', oldObj: old, newObj: obj }, isSync);
      if (!isSync) {
        this.#changes.changed(key);
        this.#writeBehind?.upsert(key, obj);
      }
    }
    if (!wasSynced && this.hasSynced()) this.#changes.poke();
  }

  #emitConsumers(): void {
    const count = this.consumerCount();
    for (const listener of this.#consumerListeners) listener(count);
  }
}
