// RL-02: client-go's BucketRateLimiter, a token bucket shared by all items, with the reservation
// semantics of golang.org/x/time/rate's Limiter.Reserve().Delay().
import type { Clock } from '../clock/clock.ts';
import type { RateLimiter } from './rate-limiter.ts';

export interface BucketRateLimiterOptions {
  /** Tokens added per second. Must be > 0 (Infinity means never wait). */
  qps: number;
  /** Bucket size, and the number of tokens it starts with. Must be an integer ≥ 1. */
  burst: number;
  clock: Clock;
}

/**
 * Limits the overall retry rate, whatever the item. Each when() reserves one token and returns how
 * long until that token exists. Reservations add up: a tight loop of calls on a full bucket of
 * `burst` tokens gets `burst` zeros, then call burst+k gets k/qps seconds (RL-02). A caller that
 * does not then wait that long breaks the rate, which is why the queue, not the caller, waits.
 */
export class BucketRateLimiter<T = string> implements RateLimiter<T> {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  // Tokens as of #last. Goes negative by the number of reservations not yet covered; never above
  // #burst. Whole-number arithmetic stays exact until time passes by a non-multiple of 1/qps.
  #tokens: number;
  #last: number;

  constructor(options: BucketRateLimiterOptions) {
    const { qps, burst, clock } = options;
    if (!(qps > 0)) throw new RangeError(`BucketRateLimiter: qps must be > 0, got ${qps}`);
    if (!Number.isInteger(burst) || burst < 1) {
      throw new RangeError(`BucketRateLimiter: burst must be an integer ≥ 1, got ${burst}`);
    }
    this.#qps = qps;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst; // the bucket starts full
    this.#last = clock.now();
  }

  when(_item: T): number {
    if (this.#qps === Number.POSITIVE_INFINITY) return 0;
    const now = this.#clock.now();
    // A clock that moved backwards adds nothing (x/time/rate does the same).
    const elapsed = Math.max(0, now - this.#last);
    this.#last = Math.max(this.#last, now);
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed * this.#qps) / 1000);
    this.#tokens -= 1;
    if (this.#tokens >= 0) return 0;
    // Multiply before dividing so that k tokens at 10 qps is exactly k × 100 ms.
    return (-this.#tokens * 1000) / this.#qps;
  }

  /** The bucket is shared: there is no per-item history to clear. */
  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}
