// RL-01: per-item exponential backoff, client-go's ItemExponentialFailureRateLimiter.
import type { RateLimiter } from './rate-limiter.ts';

/**
 * Each failure of an item doubles its delay: base × 2^n where n counts the item's earlier failures,
 * capped at max. The count is per item, so one item failing does not slow the others down.
 */
export class ItemExponentialFailureRateLimiter<T = string> implements RateLimiter<T> {
  readonly #baseMs: number;
  readonly #maxMs: number;
  // Failures per item since its last forget(). Invariant: values are ≥ 1 (absent means 0).
  readonly #failures = new Map<T, number>();

  constructor(baseDelayMs: number, maxDelayMs: number) {
    if (!(baseDelayMs >= 0) || !Number.isFinite(baseDelayMs)) {
      throw new RangeError(
        `ItemExponentialFailureRateLimiter: base delay must be a finite number ≥ 0, got ${baseDelayMs}`,
      );
    }
    if (!(maxDelayMs >= 0) || !Number.isFinite(maxDelayMs)) {
      throw new RangeError(
        `ItemExponentialFailureRateLimiter: max delay must be a finite number ≥ 0, got ${maxDelayMs}`,
      );
    }
    this.#baseMs = baseDelayMs;
    this.#maxMs = maxDelayMs;
  }

  when(item: T): number {
    const n = this.#failures.get(item) ?? 0;
    this.#failures.set(item, n + 1);
    // 2^n overflows to Infinity past n = 1023, and Infinity × 0 is NaN: both mean "the cap".
    const backoff = this.#baseMs * 2 ** n;
    if (!(backoff <= this.#maxMs)) return this.#maxMs;
    return backoff;
  }

  forget(item: T): void {
    this.#failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.#failures.get(item) ?? 0;
  }
}
