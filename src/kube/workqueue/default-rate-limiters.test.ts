import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { defaultControllerRateLimiter, defaultItemBasedRateLimiter } from './default-rate-limiters.ts';

describe('default rate limiters', () => {
  it('RL-05: per-item backoff starts at 5 ms while the shared bucket has tokens', () => {
    const rl = defaultControllerRateLimiter(new FakeClock());
    expect([rl.when('a'), rl.when('a'), rl.when('a')]).toEqual([5, 10, 20]);
    expect(rl.when('b')).toBe(5);
    expect(rl.numRequeues('a')).toBe(3);
  });

  it('RL-05: a storm of distinct failing items is held to 10 per second after a burst of 100', () => {
    const rl = defaultControllerRateLimiter(new FakeClock());
    const delays = Array.from({ length: 120 }, (_, i) => rl.when(`item-${i}`));
    expect(delays.slice(0, 100).every((d) => d === 5)).toBe(true);
    expect(delays[100]).toBe(100);
    expect(delays[119]).toBe(2000);
  });

  it('RL-01: the item-based default starts at 1 ms and caps at 1000 s', () => {
    const rl = defaultItemBasedRateLimiter();
    expect(rl.when('a')).toBe(1);
    for (let i = 0; i < 40; i++) rl.when('a');
    expect(rl.when('a')).toBe(1_000_000);
  });
});
