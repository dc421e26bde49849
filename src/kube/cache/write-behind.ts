// Write-behind of an informer's cache to InformerPersistence (BR-08): changes are collected per key
// and written as one CacheDelta per flush, never per event, with at most one write in flight.
// A later change to a key overwrites an earlier pending one, so a hot object costs one record
// per flush however often it changes.
//
// The delay adapts to the cost of writing (issue 5): a flush under uniform churn rewrites most of
// the stored chunks however few objects changed, so its cost is nearly fixed per flush, not per
// change. After each write the next delay is WRITE_DUTY_FACTOR × that write's duration (at least
// the configured delay, at most maxDelayMs), which keeps persistence to a bounded share of the
// page's time. A timer that fires while a write is in flight waits for it and then writes
// everything collected meanwhile as one delta, so deltas never queue up behind a slow write.
import type { KubeObject } from '../api/types.ts';
import type { Clock, TimerHandle } from '../clock/clock.ts';
import type { CacheDelta, CacheKey, InformerPersistence } from './persistence.ts';

/** How long changes accumulate before a write (ms). */
export const DEFAULT_WRITE_BEHIND_DELAY_MS = 500;
/** Upper bound of the adaptive delay (ms): how stale a warm start may be under a slow store. */
export const DEFAULT_WRITE_BEHIND_MAX_DELAY_MS = 30_000;
/** The next delay is this many times the last write's duration: writes take ≤ ~1/(1+factor) of the time. */
export const WRITE_DUTY_FACTOR = 9;

export interface WriteBehindSource<T extends KubeObject> {
  /** The resourceVersion the cache is known to reflect completely ("" = none yet). */
  resourceVersion(): string;
  /** Every object, for a full rewrite (replace). */
  list(): readonly T[];
}

export class WriteBehind<T extends KubeObject = KubeObject> {
  readonly #persistence: InformerPersistence;
  readonly #key: CacheKey;
  readonly #clock: Clock;
  readonly #delayMs: number;
  readonly #maxDelayMs: number;
  /** How long the last write took (ms, by the clock), from call to settled. */
  #lastWriteMs = 0;
  /** Writes handed to persistence and not yet settled. */
  #inFlight = 0;
  /** A timer fired during a write: a flush is already scheduled for when it settles. */
  #deferred = false;
  readonly #source: WriteBehindSource<T>;
  readonly #warn: (message: string, error?: unknown) => void;
  // Invariant: a key is in at most one of #upserts and #deletes (the later change wins).
  #upserts = new Map<string, T>();
  #deletes = new Set<string>();
  /** The next write must replace everything stored (the stored snapshot may hold keys we never saw). */
  #fullRewrite: boolean;
  #timer: TimerHandle | undefined;
  /** The write in flight, if any; writes are chained so two never overlap. */
  #writing: Promise<void> = Promise.resolve();

  constructor(
    persistence: InformerPersistence,
    key: CacheKey,
    source: WriteBehindSource<T>,
    options: {
      clock: Clock;
      delayMs?: number;
      /** Upper bound of the adaptive delay; default DEFAULT_WRITE_BEHIND_MAX_DELAY_MS. */
      maxDelayMs?: number;
      fullRewrite: boolean;
      warn: (message: string, error?: unknown) => void;
    },
  ) {
    this.#persistence = persistence;
    this.#key = key;
    this.#source = source;
    this.#clock = options.clock;
    this.#delayMs = options.delayMs ?? DEFAULT_WRITE_BEHIND_DELAY_MS;
    this.#maxDelayMs = Math.max(this.#delayMs, options.maxDelayMs ?? DEFAULT_WRITE_BEHIND_MAX_DELAY_MS);
    this.#fullRewrite = options.fullRewrite;
    this.#warn = options.warn;
  }

  upsert(key: string, obj: T): void {
    this.#deletes.delete(key);
    this.#upserts.set(key, obj);
    this.#arm();
  }

  delete(key: string): void {
    this.#upserts.delete(key);
    this.#deletes.add(key);
    this.#arm();
  }

  /**
   * The next write rewrites the whole store (after a relist). Pending per-key changes are
   * subsumed by the full list read at flush time.
   */
  replaceAll(): void {
    this.#fullRewrite = true;
    this.#upserts = new Map();
    this.#deletes = new Set();
    this.#arm();
  }

  /** Write now whatever is pending (e.g. on stop); resolves when every write so far settled. */
  flush(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    const rv = this.#source.resourceVersion();
    const pending = this.#fullRewrite || this.#upserts.size > 0 || this.#deletes.size > 0;
    if (!pending) return this.#writing;
    if (rv === '') {
      // Nothing complete to describe yet (no sync): try again later rather than write a snapshot
      // without a resourceVersion.
      this.#arm();
      return this.#writing;
    }
    const delta: CacheDelta<T> = this.#fullRewrite
      ? { resourceVersion: rv, upserts: [...this.#source.list()], deletes: [], replace: true }
      : {
          resourceVersion: rv,
          upserts: Array.from(this.#upserts.values()),
          deletes: Array.from(this.#deletes),
          replace: false,
        };
    this.#upserts = new Map();
    this.#deletes = new Set();
    this.#fullRewrite = false;
    this.#inFlight++;
    this.#writing = this.#writing.then(async () => {
      const started = this.#clock.now();
      try {
        await this.#persistence.write(this.#key, delta);
      } catch (error) {
        // Best effort: the cache is correct without it; the next warm start is just colder.
        this.#warn('persisting the informer cache failed', error);
      } finally {
        this.#lastWriteMs = Math.max(0, this.#clock.now() - started);
        this.#inFlight--;
      }
    });
    return this.#writing;
  }

  /** Drop the pending timer (after the final flush on stop). Pending changes are discarded. */
  dispose(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#upserts = new Map();
    this.#deletes = new Set();
  }

  /** The delay the next timer waits (ms): see the adaptive delay at the top of this file. */
  nextDelayMs(): number {
    return Math.min(this.#maxDelayMs, Math.max(this.#delayMs, WRITE_DUTY_FACTOR * this.#lastWriteMs));
  }

  #arm(): void {
    if (this.#timer !== undefined || this.#deferred) return;
    this.#timer = this.#clock.setTimer(() => {
      this.#timer = undefined;
      if (this.#inFlight === 0) {
        void this.flush();
        return;
      }
      // Coalesce: everything collected until the running write settles goes into one delta.
      this.#deferred = true;
      void this.#writing.then(() => {
        this.#deferred = false;
        void this.flush();
      });
    }, this.nextDelayMs());
  }
}
