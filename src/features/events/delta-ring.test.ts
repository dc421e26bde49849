import { describe, expect, it } from 'vitest';
import { DeltaRing } from './delta-ring.ts';

const rec = (at: number, key = 'default/p') => ({
  type: 'MODIFIED' as const,
  key,
  resourceVersion: String(at),
  at,
});

describe('DeltaRing', () => {
  it('keeps the newest records first, bounded by capacity', () => {
    const ring = new DeltaRing(3);
    for (let i = 1; i <= 10; i++) ring.push(rec(i));
    expect(ring.latest().map((r) => r.at)).toEqual([10, 9, 8]);
    expect(ring.total).toBe(10);
  });

  it('computes the rate over the sliding window', () => {
    const ring = new DeltaRing(100);
    for (let t = 0; t < 10_000; t += 100) ring.push(rec(t)); // 10 events/s for 10 s
    expect(ring.rate(9_950, 5000)).toBe(10);
    expect(ring.rate(30_000, 5000)).toBe(0);
  });
});
