import { describe, expect, it } from 'vitest';
import { ItemFastSlowRateLimiter } from './item-fast-slow-rate-limiter.ts';

describe('ItemFastSlowRateLimiter', () => {
  it('RL-03: fast delay for the first maxFastAttempts failures, slow after', () => {
    const rl = new ItemFastSlowRateLimiter(5, 10_000, 3);
    expect([rl.when('a'), rl.when('a'), rl.when('a'), rl.when('a'), rl.when('a')]).toEqual([
      5, 5, 5, 10_000, 10_000,
    ]);
    expect(rl.numRequeues('a')).toBe(5);
    expect(rl.when('b')).toBe(5);
  });

  it('RL-03: forget resets the count', () => {
    const rl = new ItemFastSlowRateLimiter(1, 2, 1);
    rl.when('a');
    expect(rl.when('a')).toBe(2);
    rl.forget('a');
    expect(rl.numRequeues('a')).toBe(0);
    expect(rl.when('a')).toBe(1);
  });

  it('rejects bad arguments with a RangeError', () => {
    expect(() => new ItemFastSlowRateLimiter(1, 2, 1.5)).toThrow(/maxFastAttempts/);
    expect(() => new ItemFastSlowRateLimiter(-1, 2, 1)).toThrow(/fast delay/);
  });
});
