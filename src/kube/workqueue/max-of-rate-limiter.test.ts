import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { BucketRateLimiter } from './bucket-rate-limiter.ts';
import { ItemExponentialFailureRateLimiter } from './item-exponential-failure-rate-limiter.ts';
import { ItemFastSlowRateLimiter } from './item-fast-slow-rate-limiter.ts';
import { MaxOfRateLimiter } from './max-of-rate-limiter.ts';

describe('MaxOfRateLimiter', () => {
  it('RL-04: returns the longest delay and every child records the failure', () => {
    const exp = new ItemExponentialFailureRateLimiter(1, 1000);
    const fastSlow = new ItemFastSlowRateLimiter(5, 100, 2);
    const rl = new MaxOfRateLimiter(exp, fastSlow);
    expect([rl.when('a'), rl.when('a'), rl.when('a'), rl.when('a')]).toEqual([5, 5, 100, 100]);
    expect(exp.numRequeues('a')).toBe(4);
    expect(fastSlow.numRequeues('a')).toBe(4);
    for (let i = 0; i < 6; i++) rl.when('a');
    expect(rl.when('a')).toBe(1000); // exponential has overtaken the slow delay
  });

  it('RL-04: numRequeues is the largest child count; forget forgets in every child', () => {
    const clock = new FakeClock();
    const exp = new ItemExponentialFailureRateLimiter(1, 1000);
    const rl = new MaxOfRateLimiter(exp, new BucketRateLimiter({ qps: 1, burst: 10, clock }));
    rl.when('a');
    rl.when('a');
    expect(rl.numRequeues('a')).toBe(2);
    rl.forget('a');
    expect(exp.numRequeues('a')).toBe(0);
    expect(rl.numRequeues('a')).toBe(0);
  });

  it('RL-04: with no children every delay is 0', () => {
    expect(new MaxOfRateLimiter().when('a')).toBe(0);
  });
});
