// RL-06: client-go's WithMaxWaitRateLimiter: never wait longer than a ceiling.
import type { RateLimiter } from './rate-limiter.ts';

/** Wraps a limiter and caps every delay it returns at maxDelayMs; history is the wrapped one's. */
export class WithMaxWaitRateLimiter<T = string> implements RateLimiter<T> {
  readonly #limiter: RateLimiter<T>;
  readonly #maxMs: number;

  constructor(limiter: RateLimiter<T>, maxDelayMs: number) {
    if (!(maxDelayMs >= 0) || !Number.isFinite(maxDelayMs)) {
      throw new RangeError(
        `WithMaxWaitRateLimiter: max delay must be a finite number ≥ 0, got ${maxDelayMs}`,
      );
    }
    this.#limiter = limiter;
    this.#maxMs = maxDelayMs;
  }

  when(item: T): number {
    return Math.min(this.#limiter.when(item), this.#maxMs);
  }

  forget(item: T): void {
    this.#limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.#limiter.numRequeues(item);
  }
}
