// RL-03: client-go's ItemFastSlowRateLimiter: a few quick retries, then slow ones.
import type { RateLimiter } from './rate-limiter.ts';

/** Retries an item after fastDelay for its first maxFastAttempts failures, then after slowDelay. */
export class ItemFastSlowRateLimiter<T = string> implements RateLimiter<T> {
  readonly #fastMs: number;
  readonly #slowMs: number;
  readonly #maxFastAttempts: number;
  // Failures per item since its last forget(). Invariant: values are ≥ 1 (absent means 0).
  readonly #attempts = new Map<T, number>();

  constructor(fastDelayMs: number, slowDelayMs: number, maxFastAttempts: number) {
    for (const [name, value] of [
      ['fast delay', fastDelayMs],
      ['slow delay', slowDelayMs],
    ] as const) {
      if (!(value >= 0) || !Number.isFinite(value)) {
        throw new RangeError(`ItemFastSlowRateLimiter: ${name} must be a finite number ≥ 0, got ${value}`);
      }
    }
    if (!Number.isInteger(maxFastAttempts) || maxFastAttempts < 0) {
      throw new RangeError(
        `ItemFastSlowRateLimiter: maxFastAttempts must be an integer ≥ 0, got ${maxFastAttempts}`,
      );
    }
    this.#fastMs = fastDelayMs;
    this.#slowMs = slowDelayMs;
    this.#maxFastAttempts = maxFastAttempts;
  }

  when(item: T): number {
    // The count is incremented first, so the first failure is attempt 1 (RL-03).
    const attempts = (this.#attempts.get(item) ?? 0) + 1;
    this.#attempts.set(item, attempts);
    return attempts <= this.#maxFastAttempts ? this.#fastMs : this.#slowMs;
  }

  forget(item: T): void {
    this.#attempts.delete(item);
  }

  numRequeues(item: T): number {
    return this.#attempts.get(item) ?? 0;
  }
}
