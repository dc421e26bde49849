// DynamicSharedInformerFactory (SI-11/SI-12, BR-09): one informer, hence one watch, per
// (context, GVR, namespace, label selector, field selector) however many views want it.
//
// Unlike client-go's factory, which lives as long as a controller, a UI factory outlives the views
// that come and go. So:
// - once start() was called, informers created later start at once;
// - an informer nobody consumes (no handler, change subscriber or status subscriber) is stopped
//   after a grace period, releasing its watch (and its browser connection, BR-09);
// - when wanted again, a fresh informer is seeded with the stopped one's cache and lastSyncRV,
//   so it shows data at once and its first list is "not older than" that RV (R-05, BR-08).
import type { GroupVersionResource, KubeObject } from '../api/types.ts';
import { type Clock, realClock, type TimerHandle } from '../clock/clock.ts';
import type { Lister } from './lister.ts';
import type { ListerWatcher } from './lister-watcher.ts';
import type { CacheKey, InformerPersistence } from './persistence.ts';
import {
  type InformerSeed,
  SharedIndexInformer,
  type SharedIndexInformerOptions,
} from './shared-informer.ts';
import { waitForCacheSync } from './wait-for-cache-sync.ts';

/** What identifies one shared informer. Unset namespace/selectors mean "" (all / none). */
export interface InformerKey {
  context: string;
  gvr: GroupVersionResource;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export type NormalizedInformerKey = Required<InformerKey>;

export function normalizeInformerKey(key: InformerKey): NormalizedInformerKey {
  if (!key.context) throw new Error('informer key: context is required');
  if (!key.gvr?.version || !key.gvr.resource)
    throw new Error('informer key: gvr needs a version and a resource');
  return {
    context: key.context,
    gvr: { group: key.gvr.group ?? '', version: key.gvr.version, resource: key.gvr.resource },
    namespace: key.namespace ?? '',
    labelSelector: key.labelSelector ?? '',
    fieldSelector: key.fieldSelector ?? '',
  };
}

/** A canonical string for a key: equal keys give equal strings. */
export function informerKeyString(key: InformerKey): string {
  const k = normalizeInformerKey(key);
  return JSON.stringify([
    k.context,
    k.gvr.group,
    k.gvr.version,
    k.gvr.resource,
    k.namespace,
    k.labelSelector,
    k.fieldSelector,
  ]);
}

/** Default grace before an unused informer stops. Long enough to survive a route change. */
export const DEFAULT_IDLE_GRACE_MS = 30_000;

export interface SharedInformerFactoryOptions {
  /** Builds the ListerWatcher for a key (list-watch.ts over the DynamicClient, or a fake). */
  listerWatcherFor(key: NormalizedInformerKey): ListerWatcher;
  /** SI-11: the factory default resync period (ms). */
  defaultResyncMs?: number;
  /** SI-11: a per-resource resync period, when it returns a number. */
  customResyncMs?(key: NormalizedInformerKey): number | undefined;
  /** SI-11: applied to every informer (DF-09: must be idempotent). */
  transform?: (obj: KubeObject) => KubeObject;
  /** Per-key informer options: indexers, reflector tuning, freeze, scheduler. */
  informerOptions?(
    key: NormalizedInformerKey,
  ): Omit<SharedIndexInformerOptions<KubeObject>, 'persistence' | 'seed'>;
  /** BR-08: persistence and how to name each informer's cache (server and user come from the caller). */
  persistence?: { store: InformerPersistence; cacheKeyFor(key: NormalizedInformerKey): CacheKey };
  idleGraceMs?: number;
  clock?: Clock;
  random?: () => number;
  warn?: (message: string, error?: unknown) => void;
}

interface Entry {
  key: NormalizedInformerKey;
  informer: SharedIndexInformer;
  /** Aborts this informer only; set once it was started. */
  stop: AbortController | undefined;
  done: Promise<void> | undefined;
  idleTimer: TimerHandle | undefined;
  unsubscribe: () => void;
}

export class DynamicSharedInformerFactory {
  readonly #options: SharedInformerFactoryOptions;
  readonly #clock: Clock;
  readonly #idleGraceMs: number;
  readonly #entries = new Map<string, Entry>();
  #started = false;
  #shuttingDown = false;

  constructor(options: SharedInformerFactoryOptions) {
    this.#options = options;
    this.#clock = options.clock ?? realClock;
    this.#idleGraceMs = options.idleGraceMs ?? DEFAULT_IDLE_GRACE_MS;
  }

  /** SI-11/SI-12: the same informer for the same key, as long as it is in use. */
  informerFor(key: InformerKey): SharedIndexInformer {
    const normalized = normalizeInformerKey(key);
    const id = informerKeyString(normalized);
    const existing = this.#entries.get(id);
    if (existing && !existing.informer.isStopped() && !existing.stop?.signal.aborted) {
      this.#updateIdle(existing);
      return existing.informer;
    }
    // A stopped (idle) predecessor seeds the new informer with what it had.
    let seed: InformerSeed | undefined;
    if (existing) {
      existing.unsubscribe();
      existing.idleTimer?.cancel();
      const rv = existing.informer.lastSyncResourceVersion();
      if (rv !== '') seed = { items: existing.informer.getIndexer().list(), resourceVersion: rv };
    }
    const entry = this.#create(normalized, seed);
    this.#entries.set(id, entry);
    if (this.#started && !this.#shuttingDown) this.#startEntry(entry);
    return entry.informer;
  }

  /** SI-12: the informer plus a lister over its cache. */
  forResource(key: InformerKey): { informer: SharedIndexInformer; lister: Lister<KubeObject> } {
    const informer = this.informerFor(key);
    return { informer, lister: informer.lister() };
  }

  /** SI-11: start every informer not started yet; later informers start when created. */
  start(): void {
    if (this.#shuttingDown) return;
    this.#started = true;
    for (const entry of this.#entries.values()) if (entry.stop === undefined) this.#startEntry(entry);
  }

  /** SI-11: per started informer, whether it synced; false for all when the signal aborts first. */
  async waitForCacheSync(signal: AbortSignal): Promise<Map<string, boolean>> {
    const started = Array.from(this.#entries).filter(
      ([, e]) => e.stop !== undefined && !e.stop.signal.aborted,
    );
    const ok = await waitForCacheSync(
      this.#clock,
      signal,
      ...started.map(
        ([, e]) =>
          () =>
            e.informer.hasSynced(),
      ),
    );
    return new Map(started.map(([id, e]) => [id, ok || e.informer.hasSynced()]));
  }

  /** SI-11: stop every informer and wait until they all stopped. start() does nothing afterwards. */
  async shutdown(): Promise<void> {
    this.#shuttingDown = true;
    const waits: Promise<void>[] = [];
    for (const entry of this.#entries.values()) {
      entry.idleTimer?.cancel();
      entry.unsubscribe();
      entry.stop?.abort();
      if (entry.done) waits.push(entry.done);
    }
    await Promise.all(waits);
  }

  /**
   * BR-06: call on `online` and on `visibilitychange` to visible: every running informer retries
   * at once instead of waiting out its backoff, and resumes watches that may have died silently.
   */
  retryNow(): void {
    for (const entry of this.#entries.values())
      if (entry.stop && !entry.stop.signal.aborted) entry.informer.retryNow();
  }

  /**
   * Stop the informer for key now (no grace), e.g. after a 401/403 the user must act on: retrying
   * on our own would only repeat the refusal. The next informerFor(key) hands out a fresh informer
   * seeded with this one's cache. Unknown or already stopped keys are ignored.
   */
  stopInformer(key: InformerKey): void {
    const entry = this.#entries.get(informerKeyString(key));
    if (!entry) return;
    entry.idleTimer?.cancel();
    entry.idleTimer = undefined;
    entry.stop?.abort();
  }

  /** Keys (canonical strings) of informers currently running. */
  runningKeys(): string[] {
    return Array.from(this.#entries)
      .filter(([, e]) => e.stop !== undefined && !e.stop.signal.aborted)
      .map(([id]) => id);
  }

  #create(key: NormalizedInformerKey, seed: InformerSeed | undefined): Entry {
    const o = this.#options;
    const custom = o.customResyncMs?.(key);
    const informerOptions: SharedIndexInformerOptions<KubeObject> = {
      clock: this.#clock,
      ...(o.random ? { random: o.random } : {}),
      ...(o.warn ? { warn: o.warn } : {}),
      resyncPeriodMs: custom ?? o.defaultResyncMs ?? 0,
      ...o.informerOptions?.(key),
      ...(seed ? { seed } : {}),
      ...(o.persistence
        ? { persistence: { store: o.persistence.store, key: o.persistence.cacheKeyFor(key) } }
        : {}),
    };
    const informer = new SharedIndexInformer(o.listerWatcherFor(key), informerOptions);
    if (o.transform) informer.setTransform(o.transform);
    const entry: Entry = {
      key,
      informer,
      stop: undefined,
      done: undefined,
      idleTimer: undefined,
      unsubscribe: () => {},
    };
    entry.unsubscribe = informer.onConsumerCountChange(() => this.#updateIdle(entry));
    return entry;
  }

  #startEntry(entry: Entry): void {
    const stop = new AbortController();
    entry.stop = stop;
    entry.done = entry.informer.run(stop.signal).catch((error: unknown) => {
      this.#options.warn?.('an informer stopped with an error', error);
    });
    this.#updateIdle(entry);
  }

  /** Arm the grace timer when a running informer has no consumers; disarm it when it has. */
  #updateIdle(entry: Entry): void {
    const running = entry.stop !== undefined && !entry.stop.signal.aborted;
    if (!running || entry.informer.consumerCount() > 0) {
      entry.idleTimer?.cancel();
      entry.idleTimer = undefined;
      return;
    }
    if (entry.idleTimer !== undefined) return;
    entry.idleTimer = this.#clock.setTimer(() => {
      entry.idleTimer = undefined;
      if (entry.informer.consumerCount() === 0) entry.stop?.abort();
    }, this.#idleGraceMs);
  }
}
