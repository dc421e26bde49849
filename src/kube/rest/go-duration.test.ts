import { describe, expect, it } from 'vitest';
import { formatGoDuration } from './go-duration.ts';

describe('formatGoDuration (RC-02 timeout parameter)', () => {
  it.each([
    [0, '0s'],
    [1, '1ms'],
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [1250, '1.25s'],
    [32_000, '32s'],
    [60_000, '1m0s'],
    [300_000, '5m0s'],
    [301_500, '5m1.5s'],
    [3_600_000, '1h0m0s'],
    [3_723_000, '1h2m3s'],
  ])('%i ms prints as %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  it('rejects negative and non-finite durations', () => {
    expect(() => formatGoDuration(-1)).toThrow(RangeError);
    expect(() => formatGoDuration(Number.NaN)).toThrow(RangeError);
  });
});
