import { describe, expect, it } from 'vitest';
import { censoredPercentile, joinLatencies } from './latency-join.ts';

describe('joinLatencies', () => {
  it('times each update to the first DOM value that shows it', () => {
    const r = joinLatencies(
      { 'ns/a': [1000, 1100] },
      {
        'ns/a': {
          base: 4,
          seen: [
            { value: 5, at: 1030 },
            { value: 6, at: 1150 },
          ],
        },
      },
    );
    expect(r).toEqual({ latencies: [30, 50], unobserved: 0, unobservedCommits: [], unexpected: 0 });
  });

  it('credits coalesced updates to the render that showed the later value', () => {
    const r = joinLatencies(
      { 'ns/a': [1000, 1010, 1020] },
      { 'ns/a': { base: 0, seen: [{ value: 3, at: 1040 }] } },
    );
    expect(r.latencies).toEqual([40, 30, 20]);
    expect(r.unobserved).toBe(0);
  });

  it('counts updates never shown, including a pod the page did not record', () => {
    const r = joinLatencies(
      { 'ns/a': [1000, 1100, 1200], 'ns/b': [1000] },
      { 'ns/a': { base: 0, seen: [{ value: 1, at: 1005 }] } },
    );
    expect(r.latencies).toEqual([5]);
    expect(r.unobserved).toBe(3);
    expect(r.unobservedCommits.sort()).toEqual([1000, 1100, 1200]);
  });

  it('never pairs an update with a DOM change older than its commit', () => {
    const r = joinLatencies({ 'ns/a': [1000] }, { 'ns/a': { base: 0, seen: [{ value: 1, at: 990 }] } });
    expect(r).toEqual({ latencies: [], unobserved: 1, unobservedCommits: [1000], unexpected: 0 });
  });

  it('sorts observations by time before joining', () => {
    const r = joinLatencies(
      { 'ns/a': [1000, 1100] },
      {
        'ns/a': {
          base: 0,
          seen: [
            { value: 2, at: 1120 },
            { value: 1, at: 1010 },
          ],
        },
      },
    );
    expect(r.latencies).toEqual([10, 20]);
  });

  it('reports values beyond the commits and pods the sim never updated as unexpected', () => {
    const r = joinLatencies(
      { 'ns/a': [1000] },
      {
        'ns/a': {
          base: 0,
          seen: [
            { value: 1, at: 1001 },
            { value: 2, at: 1002 },
          ],
        },
        'ns/z': { base: 0, seen: [{ value: 1, at: 1001 }] },
      },
    );
    expect(r.latencies).toEqual([1]);
    expect(r.unexpected).toBe(2);
  });
});

describe('censoredPercentile', () => {
  it('is exact when every update was seen', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(censoredPercentile({ latencies, unobservedCommits: [] }, 0, 50)).toEqual({
      value: 50,
      lowerBound: false,
    });
    expect(censoredPercentile({ latencies, unobservedCommits: [] }, 0, 99)).toEqual({
      value: 99,
      lowerBound: false,
    });
  });

  it('counts unseen updates as lasting until the end, and says the result is a lower bound', () => {
    // 2 of 4 seen (10, 20 ms); 2 unseen, committed 500 and 900 ms before the end.
    const r = { latencies: [10, 20], unobservedCommits: [9_500, 9_100] };
    expect(censoredPercentile(r, 10_000, 50)).toEqual({ value: 20, lowerBound: false });
    expect(censoredPercentile(r, 10_000, 99)).toEqual({ value: 900, lowerBound: true });
  });

  it('is NaN without samples', () => {
    expect(censoredPercentile({ latencies: [], unobservedCommits: [] }, 0, 50).value).toBeNaN();
  });
});
