import { describe, expect, it } from 'vitest';
import { ItemExponentialFailureRateLimiter } from './item-exponential-failure-rate-limiter.ts';

describe('ItemExponentialFailureRateLimiter', () => {
  it('RL-01: doubles per failure from the base, per item, and counts requeues', () => {
    const rl = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    expect([rl.when('a'), rl.when('a'), rl.when('a')]).toEqual([5, 10, 20]);
    expect(rl.when('b')).toBe(5);
    expect(rl.numRequeues('a')).toBe(3);
    expect(rl.numRequeues('b')).toBe(1);
    expect(rl.numRequeues('never')).toBe(0);
  });

  it('RL-01: controller defaults give 655.36 s at n=17 and cap at 1000 s from n=18', () => {
    const rl = new ItemExponentialFailureRateLimiter(5, 1_000_000);
    const delays = Array.from({ length: 20 }, () => rl.when('x'));
    expect(delays[17]).toBe(655_360);
    expect(delays[18]).toBe(1_000_000);
    expect(delays[19]).toBe(1_000_000);
  });

  it('RL-01: overflow of 2^n returns the max instead of Infinity or NaN', () => {
    const rl = new ItemExponentialFailureRateLimiter(1, 1_000_000);
    let last = 0;
    for (let i = 0; i < 1100; i++) last = rl.when('x');
    expect(last).toBe(1_000_000);
    const zeroBase = new ItemExponentialFailureRateLimiter(0, 7);
    for (let i = 0; i < 1100; i++) last = zeroBase.when('x');
    expect(last).toBe(7);
  });

  it('RL-01: forget resets the item to the base delay', () => {
    const rl = new ItemExponentialFailureRateLimiter(1, 1000);
    rl.when('a');
    rl.when('a');
    rl.forget('a');
    expect(rl.numRequeues('a')).toBe(0);
    expect(rl.when('a')).toBe(1);
  });

  it('rejects negative or non-finite delays with a RangeError', () => {
    expect(() => new ItemExponentialFailureRateLimiter(-1, 10)).toThrow(RangeError);
    expect(() => new ItemExponentialFailureRateLimiter(1, Number.NaN)).toThrow(/max delay/);
  });
});
