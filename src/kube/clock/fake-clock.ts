import { type Clock, sleepOn, type TimerHandle } from './clock.ts';

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A Clock whose time moves only when a test says so. step(ms) fires, in deadline order, every
 * timer due by the new time; timers scheduled by a firing timer also fire if they fall due.
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  // Invariant: holds only timers not yet fired; cancelled ones are skipped when reached.
  #timers: PendingTimer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(fn: () => void, ms: number): TimerHandle {
    const timer: PendingTimer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** Number of live (not fired, not cancelled) timers. */
  pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Advance time by ms, firing due timers in order of deadline then creation. */
  step(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      this.#timers = this.#timers.filter((t) => !t.cancelled);
      let next: PendingTimer | undefined;
      for (const t of this.#timers) {
        if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t;
      }
      if (!next) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = target;
  }

  /** step(ms), then let promise continuations that the fired timers resolved run. */
  async advance(ms: number): Promise<void> {
    this.step(ms);
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }
}
