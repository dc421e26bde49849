import { describe, expect, it } from 'vitest';
import { ageOf, humanDuration } from './human-duration.ts';

describe('humanDuration', () => {
  it('matches kubectl formatting at the boundaries', () => {
    expect(humanDuration(45_000)).toBe('45s');
    expect(humanDuration(119_000)).toBe('119s');
    expect(humanDuration(5 * 60_000 + 10_000)).toBe('5m10s');
    expect(humanDuration(30 * 60_000)).toBe('30m');
    expect(humanDuration(3 * 3_600_000 + 5 * 60_000)).toBe('3h5m');
    expect(humanDuration(20 * 3_600_000)).toBe('20h');
    expect(humanDuration(2 * 86_400_000 + 5 * 3_600_000)).toBe('2d5h');
    expect(humanDuration(40 * 86_400_000)).toBe('40d');
  });

  it('returns "" for missing timestamps', () => {
    expect(ageOf(undefined, 0)).toBe('');
    expect(ageOf('garbage', 0)).toBe('');
    expect(ageOf('1970-01-01T00:00:00Z', 61_000)).toBe('61s');
  });
});
