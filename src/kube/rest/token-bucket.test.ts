import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { newRateLimiter, TokenBucket, unlimitedRateLimiter } from './token-bucket.ts';

describe('TokenBucket (RC-03)', () => {
  it('RC-03: a burst of 10 passes at once, the 11th waits 1/qps seconds', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(5, 10, clock);
    for (let i = 0; i < 10; i++) await bucket.wait();
    let passed = false;
    const p = bucket.wait().then(() => {
      passed = true;
    });
    await clock.advance(199);
    expect(passed).toBe(false);
    await clock.advance(1);
    await p;
    expect(passed).toBe(true);
  });

  it('RC-03: waiters are served in order at qps', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(10, 1, clock);
    const done: number[] = [];
    await bucket.wait();
    const ps = [1, 2, 3].map((i) => bucket.wait().then(() => done.push(i)));
    await clock.advance(100);
    expect(done).toEqual([1]);
    await clock.advance(100);
    expect(done).toEqual([1, 2]);
    await clock.advance(100);
    await Promise.all(ps);
    expect(done).toEqual([1, 2, 3]);
  });

  it('refills up to burst only', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(5, 2, clock);
    expect(bucket.tryAccept()).toBe(true);
    expect(bucket.tryAccept()).toBe(true);
    expect(bucket.tryAccept()).toBe(false);
    clock.step(60_000);
    expect(bucket.tryAccept()).toBe(true);
    expect(bucket.tryAccept()).toBe(true);
    expect(bucket.tryAccept()).toBe(false);
  });

  it('an aborted waiter rejects and gives its reservation back', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(1, 1, clock);
    await bucket.wait();
    const ac = new AbortController();
    const p = bucket.wait(ac.signal);
    ac.abort(new Error('gone'));
    await expect(p).rejects.toThrow('gone');
    clock.step(1000);
    expect(bucket.tryAccept()).toBe(true);
  });

  it('RC-03: qps < 0 disables throttling; bad settings are rejected', async () => {
    const clock = new FakeClock();
    const limiter = newRateLimiter(-1, 0, clock);
    expect(limiter).toBe(unlimitedRateLimiter);
    for (let i = 0; i < 100; i++) await limiter.wait();
    expect(() => new TokenBucket(0, 1, clock)).toThrow(RangeError);
    expect(() => new TokenBucket(1, 0.5, clock)).toThrow(RangeError);
  });
});
