// RL-04: client-go's MaxOfRateLimiter: combine limiters, the slowest one wins.
import type { RateLimiter } from './rate-limiter.ts';

/**
 * Asks every child limiter and returns the longest delay. Every child is asked, not just until one
 * answers, so that each records the failure (a per-item backoff keeps counting even while an
 * overall token bucket is the one deciding).
 */
export class MaxOfRateLimiter<T = string> implements RateLimiter<T> {
  readonly #limiters: readonly RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.#limiters = [...limiters];
  }

  when(item: T): number {
    let longest = 0;
    for (const limiter of this.#limiters) longest = Math.max(longest, limiter.when(item));
    return longest;
  }

  forget(item: T): void {
    for (const limiter of this.#limiters) limiter.forget(item);
  }

  numRequeues(item: T): number {
    let most = 0;
    for (const limiter of this.#limiters) most = Math.max(most, limiter.numRequeues(item));
    return most;
  }
}
