import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { BucketRateLimiter } from './bucket-rate-limiter.ts';

describe('BucketRateLimiter', () => {
  it('RL-02: a full bucket of 100 gives 100 zero delays, then call 100+k waits exactly k × 100 ms', () => {
    const clock = new FakeClock(1_000_000);
    const rl = new BucketRateLimiter({ qps: 10, burst: 100, clock });
    const delays = Array.from({ length: 150 }, (_, i) => rl.when(`item-${i}`));
    expect(delays.slice(0, 100).every((d) => d === 0)).toBe(true);
    for (let k = 1; k <= 50; k++) expect(delays[99 + k]).toBe(k * 100);
  });

  it('RL-02: time refills the bucket, never beyond the burst', () => {
    const clock = new FakeClock();
    const rl = new BucketRateLimiter({ qps: 10, burst: 2, clock });
    expect([rl.when('a'), rl.when('a'), rl.when('a')]).toEqual([0, 0, 100]);
    // The third reservation is owed; 300 ms later 3 tokens have come in, one paid the debt.
    clock.step(300);
    expect([rl.when('a'), rl.when('a'), rl.when('a')]).toEqual([0, 0, 100]);
    clock.step(60_000); // a long pause fills the bucket to 2, not 600
    expect([rl.when('a'), rl.when('a'), rl.when('a')]).toEqual([0, 0, 100]);
  });

  it('RL-02: reservations made at different times add up', () => {
    const clock = new FakeClock();
    const rl = new BucketRateLimiter({ qps: 2, burst: 1, clock });
    expect(rl.when('a')).toBe(0);
    expect(rl.when('a')).toBe(500);
    clock.step(100);
    expect(rl.when('a')).toBe(900); // the 2nd token is due at 500, the 3rd at 1000
  });

  it('RL-02: numRequeues is always 0 and forget does nothing', () => {
    const clock = new FakeClock();
    const rl = new BucketRateLimiter({ qps: 1, burst: 1, clock });
    rl.when('a');
    rl.forget('a');
    expect(rl.numRequeues('a')).toBe(0);
    expect(rl.when('a')).toBe(1000);
  });

  it('RL-07: a clock that moves backwards adds no tokens', () => {
    let now = 10_000;
    const clock = { now: () => now, setTimer: () => ({ cancel() {} }), sleep: async () => {} };
    const rl = new BucketRateLimiter({ qps: 1, burst: 1, clock });
    expect(rl.when('a')).toBe(0);
    now = 5_000;
    expect(rl.when('a')).toBe(1000);
  });

  it('rejects qps ≤ 0 or a non-integer burst with a RangeError', () => {
    const clock = new FakeClock();
    expect(() => new BucketRateLimiter({ qps: 0, burst: 1, clock })).toThrow(/qps/);
    expect(() => new BucketRateLimiter({ qps: Number.NaN, burst: 1, clock })).toThrow(RangeError);
    expect(() => new BucketRateLimiter({ qps: 1, burst: 0, clock })).toThrow(/burst/);
    expect(new BucketRateLimiter({ qps: Number.POSITIVE_INFINITY, burst: 1, clock }).when('a')).toBe(0);
  });
});
