// SharedProcessor: the set of listeners of one informer, and the resync bookkeeping of SI-03/SI-04.
import type { KubeObject } from '../api/types.ts';
import type { Notification, ProcessorListener } from './processor-listener.ts';

/** SI-04: shortest period a handler may ask for. */
export const MINIMUM_RESYNC_PERIOD_MS = 1000;

/** SI-04: a listener's period given the informer's check period (0 = never). */
export function determineResyncPeriod(desiredMs: number, checkMs: number): number {
  if (desiredMs === 0) return 0;
  if (checkMs === 0) return 0;
  return Math.max(desiredMs, checkMs);
}

export class SharedProcessor<T extends KubeObject = KubeObject> {
  readonly #listeners = new Set<ProcessorListener<T>>();
  /** Invariant: a subset of #listeners, chosen by the last shouldResync() (SI-03). */
  #syncing = new Set<ProcessorListener<T>>();

  get size(): number {
    return this.#listeners.size;
  }

  listeners(): ProcessorListener<T>[] {
    return Array.from(this.#listeners);
  }

  add(listener: ProcessorListener<T>): void {
    this.#listeners.add(listener);
  }

  remove(listener: ProcessorListener<T>): boolean {
    this.#syncing.delete(listener);
    const had = this.#listeners.delete(listener);
    listener.stop();
    return had;
  }

  /** SI-03: sync notifications go only to listeners whose resync is due. */
  distribute(notification: Notification<T>, isSync: boolean): void {
    const targets = isSync ? this.#syncing : this.#listeners;
    for (const listener of targets) listener.add(notification);
  }

  /** SI-04: mark the due listeners, move their deadlines on; true when any is due. */
  shouldResync(now: number): boolean {
    const due = new Set<ProcessorListener<T>>();
    for (const listener of this.#listeners) {
      if (listener.shouldResync(now)) {
        due.add(listener);
        listener.determineNextResync(now);
      }
    }
    this.#syncing = due;
    return due.size > 0;
  }

  /** SI-04: the informer's check period was lowered before start. */
  resyncCheckPeriodChanged(checkMs: number): void {
    for (const listener of this.#listeners) {
      listener.resyncPeriodMs = determineResyncPeriod(listener.requestedResyncPeriodMs, checkMs);
    }
  }

  /** SI-10 */
  stop(): void {
    for (const listener of this.#listeners) listener.stop();
    this.#listeners.clear();
    this.#syncing.clear();
  }
}
