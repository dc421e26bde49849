// The RateLimiter contract of the rate-limiting queue (section 11.4), as in client-go
// util/workqueue/default_rate_limiters.go. Implementations live one per file beside this one.

/**
 * Decides how long an item waits before it is retried. Limiters keep per-item failure history, so
 * a controller must call forget(item) when the item succeeds, or its history (and memory) grows.
 */
export interface RateLimiter<T = string> {
  /** Record one more failure of item and return how long (ms, ≥ 0) to wait before retrying it. */
  when(item: T): number;
  /** Clear item's failure history. Does not remove it from any queue. */
  forget(item: T): void;
  /** How many times item has failed since it was last forgotten. */
  numRequeues(item: T): number;
}
