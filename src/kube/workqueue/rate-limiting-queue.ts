// The rate-limiting queue (WQ-20, WQ-21), a port of client-go util/workqueue/rate_limiting_queue.go:
// a delaying queue that asks a RateLimiter how long each retry of an item must wait.
//
// Controller loop (WQ-21):
//   const { item, shutdown } = await queue.get();
//   if (shutdown) return;
//   try { await reconcile(item); queue.forget(item); }
//   catch { queue.addRateLimited(item); }
//   finally { queue.done(item); }
import { defaultControllerRateLimiter } from './default-rate-limiters.ts';
import { DelayingQueue, type DelayingQueueOptions, type DelayingWorkQueue } from './delaying-queue.ts';
import type { RateLimiter } from './rate-limiter.ts';

export interface RateLimitingWorkQueue<T = string> extends DelayingWorkQueue<T> {
  /** WQ-20: addAfter(item, limiter.when(item)); records one more failure of item. */
  addRateLimited(item: T): void;
  /** WQ-20: clear item's failure history. It stays in the queue if it is there; call done() as usual. */
  forget(item: T): void;
  /** WQ-20: how many times item has been rate-limited since it was last forgotten. */
  numRequeues(item: T): number;
}

export interface RateLimitingQueueOptions<T> extends DelayingQueueOptions<T> {
  /** Defaults to defaultControllerRateLimiter(clock) (RL-05), on the same clock as the queue. */
  rateLimiter?: RateLimiter<T>;
}

export class RateLimitingQueue<T = string> extends DelayingQueue<T> implements RateLimitingWorkQueue<T> {
  readonly #limiter: RateLimiter<T>;

  constructor(options: RateLimitingQueueOptions<T> = {}) {
    super(options);
    this.#limiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(options.clock);
  }

  addRateLimited(item: T): void {
    // The limiter is asked even while shutting down, as client-go does; addAfter then ignores it.
    this.addAfter(item, this.#limiter.when(item));
  }

  forget(item: T): void {
    this.#limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.#limiter.numRequeues(item);
  }
}
