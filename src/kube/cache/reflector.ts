// Reflector: keeps a store in step with the server by ListAndWatch (R-01..R-33). The decisions
// live in reflector-state.ts (a pure step function); this file is the async driver that performs
// the effects step asks for (list, watch, sleep, store writes) and feeds their outcomes back in.
//
// The store is written only from #dispatch, which is synchronous: no store write ever spans an
// await, so the store always reflects a prefix of the server's event stream (BR-01).
import type { KubeObject, WatchEvent } from '../api/types.ts';
import { type Clock, realClock } from '../clock/clock.ts';
import { ListPager, type PagedListResult } from '../pager/pager.ts';
import { isAbortError } from '../rest/status-error.ts';
import { type BackoffOptions, JitteredBackoff } from './backoff.ts';
import type { ListerWatcher, ListOptions, Watch } from './lister-watcher.ts';
import {
  initialReflectorState,
  type ReflectorEffect,
  type ReflectorInput,
  type ReflectorPhase,
  type ReflectorState,
  SHORT_WATCH_MS,
  step,
} from './reflector-state.ts';
import { deletionHandlingMetaNamespaceKeyFunc, type KeyFunc, type ReflectorStore } from './store.ts';
import { WatchTimers } from './watch-timers.ts';

/** list everything at options.resourceVersion in pages of pageSize (0: one request). */
export type PagedList<T extends KubeObject> = (
  lw: ListerWatcher<T>,
  options: ListOptions,
  pageSize: number,
  signal: AbortSignal,
) => Promise<PagedListResult<T>>;

/** The default: the shared ListPager (PG-01..PG-08), fetching ahead when lw reports ListMeta early. */
export function pagerList<T extends KubeObject>(
  lw: ListerWatcher<T>,
  options: ListOptions,
  pageSize: number,
  signal: AbortSignal,
): Promise<PagedListResult<T>> {
  return new ListPager<T>((opts, s, hooks) => lw.list(opts, s, hooks), { pageSize }).list(options, signal);
}

export type WatchErrorHandler = (error: unknown) => void;

/** What the UI shows about a reflector. */
export interface ReflectorStatus {
  phase: 'listing' | 'watching' | 'backoff' | 'stopped';
  /** R-23 at the time of the last phase change; lastSyncResourceVersion() is always current. */
  lastSyncRV: string;
  /** The last error that ended a round or delayed a retry; cleared by a successful sync or watch start. */
  lastError?: unknown;
  /** When in backoff: when the next attempt starts (clock ms). */
  retryAt?: number;
}

export interface ReflectorOptions<T extends KubeObject> {
  /** For messages. */
  name?: string;
  /** skip objects of another kind. */
  expectedKind?: string;
  /** keys for the streaming list's temporary store. Default deletionHandlingMetaNamespaceKeyFunc. */
  keyFunc?: KeyFunc;
  /** 0 (the default) disables resync. */
  resyncPeriodMs?: number;
  /** consulted on every resync tick; absent means always resync. */
  shouldResync?: () => boolean;
  /** an explicit page size. */
  pageSize?: number;
  /** streaming lists (WatchListClient, on by default since 1.35). Default true. */
  useWatchList?: boolean;
  pagedList?: PagedList<T>;
  clock?: Clock;
  /** Uniform in [0,1): R-01 timeouts and R-02 jitter. */
  random?: () => number;
  /** receives the error of every round that ended with one. Default: warn. */
  watchErrorHandler?: WatchErrorHandler;
  warn?: (message: string, error?: unknown) => void;
  /** honoured only above 300 s. */
  minWatchTimeoutSeconds?: number;
  /** default 0 (off). */
  maxInternalErrorRetryDurationMs?: number;
  /** BR-07: a watch silent for timeoutSeconds + this is aborted. Default 5 s (kube-rs, KR-04). */
  idleTimeoutMarginMs?: number;
  /** BR-08 warm start: lastSyncRV to begin with, so the first list is "not older than" it. */
  initialResourceVersion?: string;
  backoff?: BackoffOptions;
  /**
   * In a page, a watch that delivers hundreds of events at once (a burst after a stall, or several
   * events per WebSocket frame) would otherwise be applied in one task and hold the main thread for
   * as long as that takes. With a slice set, the watch loop hands control back (yieldToPage) once it
   * has been applying events for sliceMs, so frames and input run between slices. Events keep their
   * order; nothing is dropped or reordered. Default: no slicing (Node, tests).
   */
  timeSlice?: { sliceMs: number; yieldToPage: () => Promise<void> };
}

/** how often a streaming list that has not finished is reported. */
const WATCH_LIST_WARN_MS = 10_000;

export class Reflector<T extends KubeObject = KubeObject> {
  readonly name: string;
  readonly #lw: ListerWatcher<T>;
  readonly #store: ReflectorStore<T>;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #backoff: JitteredBackoff;
  readonly #pagedList: PagedList<T>;
  readonly #resyncPeriodMs: number;
  readonly #shouldResync: (() => boolean) | undefined;
  readonly #minWatchTimeoutSeconds: number;
  readonly #idleMarginMs: number;
  readonly #warn: (message: string, error?: unknown) => void;
  readonly #timeSlice: ReflectorOptions<T>['timeSlice'];
  #watchErrorHandler: WatchErrorHandler;

  #state: ReflectorState<T>;
  #started = false;
  /** Set by a closeWatch effect: the watch loop must not feed another event of that watch. */
  #closeRequested = false;
  #status: ReflectorStatus;
  #lastError: unknown;
  #retryAt: number | undefined;
  /** BR-06: cuts the current backoff short, or restarts the current watch; see retryNow(). */
  #nudge: (() => void) | undefined;
  readonly #statusListeners = new Set<(status: ReflectorStatus) => void>();
  /** Clock ms of the open watch's last event (its start if none yet); undefined while no watch is open. */
  #lastWatchActivity: number | undefined;

  constructor(lw: ListerWatcher<T>, store: ReflectorStore<T>, options: ReflectorOptions<T> = {}) {
    this.name = options.name ?? 'reflector';
    this.#lw = lw;
    this.#store = store;
    this.#clock = options.clock ?? realClock;
    this.#random = options.random ?? Math.random;
    this.#backoff = new JitteredBackoff(this.#clock, this.#random, options.backoff);
    this.#pagedList = options.pagedList ?? pagerList;
    this.#resyncPeriodMs = options.resyncPeriodMs ?? 0;
    this.#shouldResync = options.shouldResync;
    this.#minWatchTimeoutSeconds = Math.max(300, options.minWatchTimeoutSeconds ?? 300);
    this.#idleMarginMs = options.idleTimeoutMarginMs ?? 5000;
    this.#timeSlice = options.timeSlice;
    this.#warn = options.warn ?? ((message, error) => console.warn(`${this.name}: ${message}`, error ?? ''));
    this.#watchErrorHandler =
      options.watchErrorHandler ?? ((error) => this.#warn('watch ended with an error', error));
    this.#state = initialReflectorState<T>(
      {
        useWatchList: options.useWatchList ?? true,
        pageSize: options.pageSize,
        expectedKind: options.expectedKind,
        keyFunc: options.keyFunc ?? deletionHandlingMetaNamespaceKeyFunc,
        maxInternalErrorRetryDurationMs: options.maxInternalErrorRetryDurationMs ?? 0,
      },
      options.initialResourceVersion ?? '',
    );
    this.#status = { phase: 'listing', lastSyncRV: this.#state.memory.lastSyncRV };
  }

  /** */
  lastSyncResourceVersion(): string {
    return this.#state.memory.lastSyncRV;
  }

  /** True once a live list (or an initial-events-end bookmark) has been applied to the store. */
  hasSynced(): boolean {
    return this.#state.memory.synced;
  }

  /** The current phase of the state machine (for tests and diagnostics). */
  phase(): ReflectorPhase<T>['kind'] {
    return this.#state.phase.kind;
  }

  /**
   * When the open watch last delivered an event (bookmarks included), by the clock; undefined while
   * no watch is open. A watch quiet for much longer than the server's bookmark interval may be
   * stalled: the UI says so before BR-07's timeout ends it.
   */
  lastWatchActivity(): number | undefined {
    return this.#lastWatchActivity;
  }

  status(): ReflectorStatus {
    return { ...this.#status, lastSyncRV: this.lastSyncResourceVersion() };
  }

  /** Called on every phase or error change (never per event). Returns the unsubscribe. */
  subscribeStatus(listener: (status: ReflectorStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** Replace the R-03 handler. Only before run (SI-08 enforces that for informers). */
  /**
   * BR-06: the page became visible or the browser came back online. A reflector in backoff
   * retries at once; a watch open for at least a second (so it cannot count as a very short
   * watch, R-17) is closed and resumed from lastSyncRV without a relist, since after a
   * network change it may be silently dead. Otherwise this does nothing.
   */
  retryNow(): void {
    this.#nudge?.();
  }

  setWatchErrorHandler(handler: WatchErrorHandler): void {
    if (this.#started) throw new Error('reflector has already started');
    this.#watchErrorHandler = handler;
  }

  /**
   * ListAndWatch until signal aborts. Resolves when stopped; never rejects for an abort
   * (BR-03) or for a server error (those are retried with backoff). May be called once.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#started) throw new Error(`${this.name}: run() may be called once`);
    this.#started = true;
    try {
      let next = signal.aborted ? undefined : this.#dispatch({ type: 'start' });
      while (next !== undefined && !signal.aborted) next = await this.#perform(next, signal);
    } finally {
      this.#dispatch({ type: 'stop' });
    }
  }

  /** Feed one input to step; apply its synchronous effects; return its async effect, if any. */
  #dispatch(input: ReflectorInput<T>): AsyncEffect<T> | undefined {
    const { next, effects } = step(this.#state, input);
    this.#state = next;
    let pending: AsyncEffect<T> | undefined;
    let replaceError: { error: unknown } | undefined;
    for (const effect of effects) {
      if (replaceError !== undefined) break;
      switch (effect.type) {
        case 'list':
        case 'watch':
        case 'backoff':
          pending = effect;
          break;
        case 'closeWatch':
          this.#closeRequested = true;
          break;
        case 'replace':
          try {
            this.#store.replace(effect.items, effect.resourceVersion);
            this.#lastError = undefined;
          } catch (error) {
            // Stores replace atomically (DeltaFIFO computes every key first), so nothing changed;
            // the effects after it (the watch) must not run.
            replaceError = { error };
          }
          break;
        case 'add':
        case 'update':
        case 'delete':
          this.#applyEvent(effect);
          break;
        case 'bookmark':
          this.#store.bookmark?.(effect.resourceVersion);
          break;
        case 'reportError':
          this.#lastError = effect.error;
          this.#report(effect.error);
          break;
        case 'warn':
          this.#warn(effect.message, effect.error);
          break;
      }
    }
    if (replaceError !== undefined)
      return this.#dispatch({ type: 'replaceFailed', error: replaceError.error });
    this.#publishStatus();
    return pending;
  }

  /** a store error on one event is reported and the event skipped (upstream HandleError). */
  #applyEvent(effect: Extract<ReflectorEffect<T>, { type: 'add' | 'update' | 'delete' }>): void {
    try {
      if (effect.type === 'add') this.#store.add(effect.object);
      else if (effect.type === 'update') this.#store.update(effect.object);
      else this.#store.delete(effect.object);
    } catch (error) {
      this.#warn(`unable to apply a watch event (${effect.type}) to the store`, error);
    }
  }

  #report(error: unknown): void {
    try {
      this.#watchErrorHandler(error);
    } catch (handlerError) {
      this.#warn('the watch error handler threw', handlerError);
    }
  }

  async #perform(effect: AsyncEffect<T>, signal: AbortSignal): Promise<AsyncEffect<T> | undefined> {
    switch (effect.type) {
      case 'backoff':
        return this.#sleepBackoff(effect.cause, signal);
      case 'list':
        return this.#list(effect.resourceVersion, effect.pageSize, signal);
      case 'watch':
        return this.#watch(effect.resourceVersion, effect.sendInitialEvents, signal);
    }
  }

  async #sleepBackoff(cause: unknown, signal: AbortSignal): Promise<AsyncEffect<T> | undefined> {
    const delay = this.#backoff.next();
    this.#lastError = cause;
    this.#retryAt = this.#clock.now() + delay;
    this.#publishStatus(true);
    const wake = new AbortController();
    this.#nudge = () => wake.abort();
    try {
      await this.#clock.sleep(delay, AbortSignal.any([signal, wake.signal]));
    } catch {
      // Only an abort rejects the sleep: ours (stop) ends the run, a nudge ends the wait early.
      if (signal.aborted) return undefined;
    } finally {
      this.#retryAt = undefined;
      this.#nudge = undefined;
    }
    return this.#dispatch({ type: 'backoffElapsed' });
  }

  async #list(
    resourceVersion: string,
    pageSize: number,
    signal: AbortSignal,
  ): Promise<AsyncEffect<T> | undefined> {
    const options: ListOptions = resourceVersion === '' ? {} : { resourceVersion };
    let result: PagedListResult<T>;
    try {
      result = await this.#pagedList(this.#lw, options, pageSize, signal);
      if (!result || !Array.isArray(result.list?.items))
        throw new TypeError('the list response has no items array');
    } catch (error) {
      // R-10/BR-03: a stop during the list returns quietly and leaves the store alone. Only our
      // own signal counts: a request timeout is a failure to retry, not a stop.
      if (signal.aborted) return undefined;
      return this.#dispatch({ type: 'listFailed', error });
    }
    if (signal.aborted) return undefined;
    return this.#dispatch({
      type: 'listSucceeded',
      items: this.#usableItems(result.list.items),
      resourceVersion: result.list.metadata?.resourceVersion ?? '',
      paginated: result.paginated,
    });
  }

  /** Bad input: list items that are not objects with a name cannot be keyed; skip them loudly. */
  #usableItems(items: T[]): T[] {
    const usable = items.filter(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        typeof item.metadata?.name === 'string' &&
        item.metadata.name !== '',
    );
    if (usable.length !== items.length)
      this.#warn(`skipping ${items.length - usable.length} list item(s) without metadata.name`);
    return usable;
  }

  /** floor(min + rand·min) seconds with min ≥ 300, drawn per watch request. */
  #watchTimeoutSeconds(): number {
    const min = this.#minWatchTimeoutSeconds;
    return Math.floor(min + this.#random() * min);
  }

  async #watch(
    resourceVersion: string,
    sendInitialEvents: boolean,
    signal: AbortSignal,
  ): Promise<AsyncEffect<T> | undefined> {
    const timeoutSeconds = this.#watchTimeoutSeconds();
    const options: ListOptions = { allowWatchBookmarks: true, timeoutSeconds };
    if (resourceVersion !== '') options.resourceVersion = resourceVersion;
    if (sendInitialEvents) {
      // the server requires NotOlderThan with sendInitialEvents.
      options.sendInitialEvents = true;
      options.resourceVersionMatch = 'NotOlderThan';
    }
    const watchAbort = new AbortController();
    const watchSignal = AbortSignal.any([signal, watchAbort.signal]);
    // BR-07 from the first byte: a watch request whose response never starts (a black-holed
    // connection, a stalled hop) is as silent as a stream that stopped, and gets the same limit.
    const startLimitMs = timeoutSeconds * 1000 + this.#idleMarginMs;
    let startTimedOut = false;
    const startTimer = this.#clock.setTimer(() => {
      startTimedOut = true;
      watchAbort.abort();
    }, startLimitMs);
    let watch: Watch<T>;
    try {
      watch = await this.#lw.watch(options, watchSignal);
    } catch (error) {
      startTimer.cancel();
      if (signal.aborted) return undefined;
      const cause = startTimedOut
        ? new Error(`the watch got no response within ${Math.round(startLimitMs / 1000)} s`, { cause: error })
        : error;
      return this.#dispatch({ type: 'watchStartFailed', error: cause, now: this.#clock.now() });
    }
    startTimer.cancel();
    if (signal.aborted) {
      watch.stop();
      return undefined;
    }
    this.#closeRequested = false;
    this.#lastError = undefined;
    this.#lastWatchActivity = this.#clock.now();
    let pending = this.#dispatch({ type: 'watchOpened', now: this.#clock.now() });
    const timers = new WatchTimers({
      clock: this.#clock,
      idleLimitMs: timeoutSeconds * 1000 + this.#idleMarginMs,
      resyncPeriodMs: this.#resyncPeriodMs,
      onResync: () => {
        if (this.#shouldResync === undefined || this.#shouldResync()) this.#store.resync();
      },
      stopWatch: () => {
        watchAbort.abort();
        watch.stop();
      },
      ...(sendInitialEvents
        ? {
            warnEveryMs: WATCH_LIST_WARN_MS,
            onStillWaiting: () => {
              if (this.#state.phase.kind !== 'StreamingInitial') return false;
              this.#warn('still waiting for the initial-events-end bookmark of the streaming list');
              return true;
            },
          }
        : {}),
    });
    // BR-06: a nudge resumes a watch that may be silently dead, unless it is too young.
    this.#nudge = () => void timers.closeIfOlderThan(SHORT_WATCH_MS);
    let error: unknown;
    const slice = this.#timeSlice;
    let sliceStart = this.#clock.now();
    try {
      for await (const event of watch as AsyncIterable<WatchEvent<T>>) {
        timers.touch();
        this.#lastWatchActivity = this.#clock.now();
        if (signal.aborted) break;
        pending = this.#dispatch({ type: 'event', event, now: this.#clock.now() });
        if (this.#closeRequested || pending !== undefined) break;
        if (slice !== undefined && this.#clock.now() - sliceStart >= slice.sliceMs) {
          await slice.yieldToPage();
          sliceStart = this.#clock.now();
          if (signal.aborted || this.#closeRequested) break;
        }
      }
    } catch (err) {
      error = err;
    } finally {
      timers.cancel();
      this.#lastWatchActivity = undefined;
      this.#nudge = undefined;
      watchAbort.abort();
      watch.stop();
    }
    // stopping while watching returns without error and without a relist.
    if (signal.aborted) return undefined;
    if (this.#closeRequested || pending !== undefined) return pending;
    if (timers.resyncError !== undefined) error = timers.resyncError;
    // BR-03: our own idle abort is a clean close (BR-07 then follows R-16).
    if (error !== undefined && (timers.closedByUs || isAbortError(error))) error = undefined;
    return this.#dispatch(
      error === undefined
        ? { type: 'watchEnded', now: this.#clock.now() }
        : { type: 'watchEnded', now: this.#clock.now(), error },
    );
  }

  #publishStatus(force = false): void {
    const kind = this.#state.phase.kind;
    const phase: ReflectorStatus['phase'] =
      kind === 'Stopped'
        ? 'stopped'
        : kind === 'Backoff'
          ? 'backoff'
          : kind === 'Watching' || kind === 'WatchStarting'
            ? 'watching'
            : 'listing';
    if (!force && phase === this.#status.phase && this.#lastError === this.#status.lastError) return;
    const status: ReflectorStatus = { phase, lastSyncRV: this.lastSyncResourceVersion() };
    if (this.#lastError !== undefined) status.lastError = this.#lastError;
    if (phase === 'backoff' && this.#retryAt !== undefined) status.retryAt = this.#retryAt;
    this.#status = status;
    for (const listener of this.#statusListeners) {
      try {
        listener(status);
      } catch (error) {
        this.#warn('a status listener threw', error);
      }
    }
  }
}

type AsyncEffect<T extends KubeObject> = Extract<ReflectorEffect<T>, { type: 'list' | 'watch' | 'backoff' }>;
