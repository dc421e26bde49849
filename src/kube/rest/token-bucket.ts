// RC-03: client-side throttling. One bucket per RESTClient, refilled at `qps` tokens per second up
// to `burst`. A request that finds the bucket empty reserves the next token and sleeps until it is
// due, so waiting requests are served in arrival order (like golang.org/x/time/rate's Wait).
import type { Clock } from '../clock/clock.ts';

export interface RateLimiter {
  /** Resolve when the caller may send one request; reject with the signal's reason on abort. */
  wait(signal?: AbortSignal): Promise<void>;
  /** Take a token if one is available right now, without waiting. */
  tryAccept(): boolean;
}

/** A RateLimiter that never waits (qps < 0 disables throttling, RC-03). */
export const unlimitedRateLimiter: RateLimiter = {
  wait: (signal) => (signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve()),
  tryAccept: () => true,
};

export class TokenBucket implements RateLimiter {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  // Invariant: #tokens is the count as of #last; it may go negative, by the number of tokens
  // reserved by sleeping waiters, and never exceeds #burst.
  #tokens: number;
  #last: number;

  constructor(qps: number, burst: number, clock: Clock) {
    if (!(qps > 0) || !Number.isFinite(qps)) throw new RangeError(`TokenBucket: qps must be > 0, got ${qps}`);
    if (!(burst >= 1) || !Number.isInteger(burst)) {
      throw new RangeError(`TokenBucket: burst must be an integer >= 1, got ${burst}`);
    }
    this.#qps = qps;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst; // the bucket starts full
    this.#last = clock.now();
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = Math.max(0, now - this.#last);
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed * this.#qps) / 1000);
    this.#last = now;
  }

  tryAccept(): boolean {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    return false;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.#refill();
    this.#tokens -= 1;
    if (this.#tokens >= 0) return;
    const waitMs = Math.ceil((-this.#tokens * 1000) / this.#qps);
    try {
      await this.#clock.sleep(waitMs, signal);
    } catch (err) {
      // An aborted waiter gives its reservation back so later callers are not delayed by it.
      this.#refill();
      this.#tokens = Math.min(this.#burst, this.#tokens + 1);
      throw err;
    }
  }
}

/** RC-03 defaults (QPS 5, burst 10); qps < 0 disables throttling. */
export function newRateLimiter(qps: number, burst: number, clock: Clock): RateLimiter {
  if (qps < 0) return unlimitedRateLimiter;
  return new TokenBucket(qps === 0 ? 5 : qps, burst === 0 ? 10 : burst, clock);
}
