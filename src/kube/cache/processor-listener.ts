// ProcessorListener (SI-05): one registered handler's private, unbounded notification buffer and
// the async loop that delivers it. Each listener delivers in order and one at a time; a slow or
// failing handler delays only its own listener. Delivery never happens inside the informer's
// delta processing: add() only queues, and the loop starts in a later microtask, so a handler
// always sees an indexer that already holds the change it is told about (SI-02).
import type { KubeObject } from '../api/types.ts';
import type { Clock } from '../clock/clock.ts';
import type { DeletedFinalStateUnknown } from './store.ts';

/** The handler interface (SI-02). Each method may return a Promise; the next call waits for it. */
export interface ResourceEventHandler<T extends KubeObject = KubeObject> {
  onAdd?(obj: T, isInInitialList: boolean): void | Promise<void>;
  onUpdate?(oldObj: T, newObj: T): void | Promise<void>;
  /** DF-13: obj may be a DeletedFinalStateUnknown whose obj is stale or null. */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void | Promise<void>;
}

export type Notification<T extends KubeObject> =
  | { readonly type: 'add'; readonly obj: T; readonly isInInitialList: boolean }
  | { readonly type: 'update'; readonly oldObj: T; readonly newObj: T }
  | { readonly type: 'delete'; readonly obj: T | DeletedFinalStateUnknown<T> };

/** SI-05: after a handler throws, the next notification waits about this long. */
export const HANDLER_ERROR_PAUSE_MS = 1000;

export class ProcessorListener<T extends KubeObject = KubeObject> {
  readonly handler: ResourceEventHandler<T>;
  /** SI-04: what the handler asked for (ms; 0 = never). */
  readonly requestedResyncPeriodMs: number;
  /** SI-04: what it gets, after the informer's check period is taken into account. */
  resyncPeriodMs: number;
  /** SI-04: clock time at which this listener's next resync is due. */
  #nextResync = 0;

  readonly #clock: Clock;
  readonly #warn: (message: string, error?: unknown) => void;
  // Invariant: #buffer[#head..] are the undelivered notifications, oldest first. Unbounded (SI-05):
  // the informer must never block on a slow handler.
  #buffer: Notification<T>[] = [];
  #head = 0;
  /** isInInitialList adds queued or being delivered; hasSynced needs it at 0 (SI-07). */
  #pendingInitial = 0;
  #draining = false;
  #stopped = false;

  constructor(
    handler: ResourceEventHandler<T>,
    requestedResyncPeriodMs: number,
    resyncPeriodMs: number,
    clock: Clock,
    warn: (message: string, error?: unknown) => void,
  ) {
    this.handler = handler;
    this.requestedResyncPeriodMs = requestedResyncPeriodMs;
    this.resyncPeriodMs = resyncPeriodMs;
    this.#clock = clock;
    this.#warn = warn;
    this.determineNextResync(clock.now());
  }

  /** Queue one notification; delivery starts in a later microtask. */
  add(notification: Notification<T>): void {
    if (this.#stopped) return;
    if (notification.type === 'add' && notification.isInInitialList) this.#pendingInitial++;
    this.#buffer.push(notification);
    if (!this.#draining) {
      this.#draining = true;
      queueMicrotask(() => void this.#drain());
    }
  }

  /** SI-07: every isInInitialList add this listener was given has been handled. */
  hasDeliveredInitialList(): boolean {
    return this.#pendingInitial === 0;
  }

  /** Undelivered notifications (for diagnostics and tests). */
  get pending(): number {
    return this.#buffer.length - this.#head;
  }

  /** SI-10: listeners cannot be reused once stopped; undelivered notifications are dropped. */
  stop(): void {
    this.#stopped = true;
    this.#buffer = [];
    this.#head = 0;
    this.#pendingInitial = 0;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** SI-04: is this listener's resync due at now? */
  shouldResync(now: number): boolean {
    return this.resyncPeriodMs !== 0 && now >= this.#nextResync;
  }

  determineNextResync(now: number): void {
    this.#nextResync = now + this.resyncPeriodMs;
  }

  async #drain(): Promise<void> {
    while (!this.#stopped && this.#head < this.#buffer.length) {
      const notification = this.#buffer[this.#head]!;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#buffer.length) {
        this.#buffer = this.#buffer.slice(this.#head);
        this.#head = 0;
      }
      let failed = false;
      try {
        const result = this.#deliver(notification);
        if (result !== undefined) await result;
      } catch (error) {
        failed = true;
        this.#warn('an event handler failed; its notification was dropped', error);
      } finally {
        if (notification.type === 'add' && notification.isInInitialList && this.#pendingInitial > 0)
          this.#pendingInitial--;
      }
      // SI-05: pause this listener (only) after a failure.
      if (failed && !this.#stopped) await this.#clock.sleep(HANDLER_ERROR_PAUSE_MS);
    }
    this.#draining = false;
  }

  #deliver(n: Notification<T>): void | Promise<void> {
    switch (n.type) {
      case 'add':
        return this.handler.onAdd?.(n.obj, n.isInInitialList);
      case 'update':
        return this.handler.onUpdate?.(n.oldObj, n.newObj);
      case 'delete':
        return this.handler.onDelete?.(n.obj);
    }
  }
}
