import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { JitteredBackoff } from './backoff.ts';

describe('JitteredBackoff', () => {
  it('R-02: doubles from 800 ms to a 30 s cap', () => {
    const b = new JitteredBackoff(new FakeClock(), () => 0);
    const delays = Array.from({ length: 8 }, () => b.next());
    expect(delays).toEqual([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
  });

  it('R-02: jitter 1.0 spreads each delay over [d, 2d)', () => {
    const b = new JitteredBackoff(new FakeClock(), () => 0.999);
    expect(b.next()).toBeCloseTo(1599.2);
    expect(b.next()).toBeCloseTo(3198.4);
  });

  it('R-02: resets only when more than 2 min have passed since the last reset', () => {
    const clock = new FakeClock();
    const b = new JitteredBackoff(clock, () => 0);
    b.next();
    b.next();
    clock.step(120_000);
    expect(b.next()).toBe(3200); // exactly 2 min is not "more than"
    clock.step(1);
    expect(b.next()).toBe(800);
    expect(b.next()).toBe(1600);
  });

  it('rejects nonsensical options', () => {
    expect(() => new JitteredBackoff(new FakeClock(), Math.random, { initialMs: 0 })).toThrow(RangeError);
    expect(() => new JitteredBackoff(new FakeClock(), Math.random, { initialMs: 10, capMs: 5 })).toThrow(
      RangeError,
    );
  });
});
