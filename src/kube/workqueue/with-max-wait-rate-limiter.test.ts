import { describe, expect, it } from 'vitest';
import { ItemExponentialFailureRateLimiter } from './item-exponential-failure-rate-limiter.ts';
import { WithMaxWaitRateLimiter } from './with-max-wait-rate-limiter.ts';

describe('WithMaxWaitRateLimiter', () => {
  it('RL-06: caps the wrapped delay and passes history through', () => {
    const inner = new ItemExponentialFailureRateLimiter(100, 1_000_000);
    const rl = new WithMaxWaitRateLimiter(inner, 300);
    expect([rl.when('a'), rl.when('a'), rl.when('a'), rl.when('a')]).toEqual([100, 200, 300, 300]);
    expect(rl.numRequeues('a')).toBe(4);
    rl.forget('a');
    expect(inner.numRequeues('a')).toBe(0);
  });

  it('rejects a negative ceiling', () => {
    expect(() => new WithMaxWaitRateLimiter(new ItemExponentialFailureRateLimiter(1, 2), -1)).toThrow(
      RangeError,
    );
  });
});
