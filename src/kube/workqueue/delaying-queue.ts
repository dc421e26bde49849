// The delaying queue (WQ-10..12), a port of client-go util/workqueue/delaying_queue.go: a work
// queue whose items can be added after a delay.
//
// client-go runs a goroutine that sleeps until the earliest ready time. Here the "scheduler" is one
// clock timer, re-armed whenever the earliest ready time changes. Browsers fire timers late in
// hidden tabs (BR-06), and a Clock may fire them at any time after the deadline, so every wake-up
// compares ready times with clock.now() again instead of trusting that the timer was exact.
import { type Clock, realClock, type TimerHandle } from '../clock/clock.ts';
import { type GetResult, Queue, type WorkQueue } from './queue.ts';
import { WaitForPriorityQueue } from './wait-for-priority-queue.ts';

/**
 * The scheduler wakes at least this often while items are waiting, as a safety net against a
 * timer that never fires (WQ-11; client-go's maxWait is 10 s). With nothing waiting there is
 * nothing to check, so no timer is kept armed then.
 */
export const MAX_SCHEDULER_WAIT_MS = 10_000;

export interface DelayingWorkQueue<T = string> extends WorkQueue<T> {
  /**
   * WQ-10: add item once delayMs has passed. delayMs ≤ 0 adds it now. If item is already waiting
   * it keeps the earlier ready time. Ignored while shutting down. A delay that is not a number
   * (NaN) or is infinite is a programming error and throws a RangeError.
   */
  addAfter(item: T, delayMs: number): void;
}

export interface DelayingQueueOptions<T> {
  /** Defaults to the real clock. Tests pass a FakeClock (RL-07). */
  clock?: Clock;
  /** The queue ready items go to. Defaults to a new plain Queue. */
  queue?: WorkQueue<T>;
}

export class DelayingQueue<T = string> implements DelayingWorkQueue<T> {
  readonly #clock: Clock;
  readonly #queue: WorkQueue<T>;
  // Items not yet ready, at most one entry per item. Emptied on shutdown (WQ-12).
  readonly #waiting = new WaitForPriorityQueue<T>();
  // The armed scheduler timer and the clock time it was armed for. Invariant: a timer is armed
  // exactly when #waiting is non-empty and the queue is not shut down, and #timerAt is no later
  // than both the earliest ready time and now + MAX_SCHEDULER_WAIT_MS as of arming.
  #timer: TimerHandle | undefined;
  #timerAt = 0;

  constructor(options: DelayingQueueOptions<T> = {}) {
    this.#clock = options.clock ?? realClock;
    this.#queue = options.queue ?? new Queue<T>();
  }

  addAfter(item: T, delayMs: number): void {
    if (typeof delayMs !== 'number' || Number.isNaN(delayMs) || !Number.isFinite(delayMs)) {
      throw new RangeError(`addAfter: delay must be a finite number of milliseconds, got ${String(delayMs)}`);
    }
    if (this.#queue.shuttingDown()) return;
    if (delayMs <= 0) {
      this.#queue.add(item);
      return;
    }
    if (this.#waiting.schedule(item, this.#clock.now() + delayMs)) this.#arm();
  }

  /** Items scheduled by addAfter() and not yet ready (not part of len()). */
  waitingLen(): number {
    return this.#waiting.size;
  }

  add(item: T): void {
    this.#queue.add(item);
  }

  len(): number {
    return this.#queue.len();
  }

  get(): Promise<GetResult<T>> {
    return this.#queue.get();
  }

  done(item: T): void {
    this.#queue.done(item);
  }

  shutDown(): void {
    this.#stopScheduler();
    this.#queue.shutDown();
  }

  shutDownWithDrain(): Promise<void> {
    this.#stopScheduler();
    return this.#queue.shutDownWithDrain();
  }

  shuttingDown(): boolean {
    return this.#queue.shuttingDown();
  }

  /** WQ-12: stop the timer and drop every item still waiting. */
  #stopScheduler(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#waiting.clear();
  }

  /** (Re-)arm the timer for the earliest ready time, capped at MAX_SCHEDULER_WAIT_MS from now. */
  #arm(): void {
    const next = this.#waiting.peek();
    if (!next || this.#queue.shuttingDown()) {
      this.#timer?.cancel();
      this.#timer = undefined;
      return;
    }
    const now = this.#clock.now();
    const wakeAt = Math.min(next.readyAt, now + MAX_SCHEDULER_WAIT_MS);
    if (this.#timer && this.#timerAt <= wakeAt) return; // already waking early enough
    this.#timer?.cancel();
    this.#timerAt = wakeAt;
    this.#timer = this.#clock.setTimer(() => this.#wake(), wakeAt - now);
  }

  /** WQ-11: move every item whose time has come, by the clock as it reads now, into the queue. */
  #wake(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    for (let next = this.#waiting.peek(); next && next.readyAt <= now; next = this.#waiting.peek()) {
      this.#waiting.pop();
      this.#queue.add(next.item);
    }
    this.#arm();
  }
}
