// RL-05 and RL-01: the rate limiters client-go's controllers use unless told otherwise.
import { type Clock, realClock } from '../clock/clock.ts';
import { BucketRateLimiter } from './bucket-rate-limiter.ts';
import { ItemExponentialFailureRateLimiter } from './item-exponential-failure-rate-limiter.ts';
import { MaxOfRateLimiter } from './max-of-rate-limiter.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** Per-item backoff of controllers: 5 ms doubling to 1000 s (RL-01). */
export const CONTROLLER_BASE_DELAY_MS = 5;
export const CONTROLLER_MAX_DELAY_MS = 1_000_000;
/** Overall retry rate of controllers: 10 per second with bursts of 100 (RL-02). */
export const CONTROLLER_QPS = 10;
export const CONTROLLER_BURST = 100;

/**
 * RL-05: the per-item exponential backoff (5 ms … 1000 s) combined with an overall token bucket
 * (10 qps, burst 100), so one item backs off quickly while a storm of failing items cannot retry
 * faster than 10 per second overall.
 */
export function defaultControllerRateLimiter<T = string>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>(CONTROLLER_BASE_DELAY_MS, CONTROLLER_MAX_DELAY_MS),
    new BucketRateLimiter<T>({ qps: CONTROLLER_QPS, burst: CONTROLLER_BURST, clock }),
  );
}

/** RL-01: client-go's DefaultItemBasedRateLimiter, per-item backoff from 1 ms to 1000 s. */
export function defaultItemBasedRateLimiter<T = string>(): RateLimiter<T> {
  return new ItemExponentialFailureRateLimiter<T>(1, CONTROLLER_MAX_DELAY_MS);
}
