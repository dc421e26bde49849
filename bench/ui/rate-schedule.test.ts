import { describe, expect, it } from 'vitest';
import { RateSchedule } from './rate-schedule.ts';

function drain(s: RateSchedule) {
  const out = [];
  for (let u = s.next(); u; u = s.next()) out.push(u);
  return out;
}

describe('RateSchedule', () => {
  it('hands out rate × seconds updates, then none', () => {
    const s = new RateSchedule({ rate: 100, seconds: 2.5, focusFraction: 0.1, podCount: 50, focus: [3, 7] });
    expect(s.total).toBe(250);
    expect(drain(s)).toHaveLength(250);
    expect(s.next()).toBeUndefined();
  });

  it('paces by elapsed time and never beyond the total', () => {
    const s = new RateSchedule({ rate: 1000, seconds: 1, focusFraction: 0, podCount: 10, focus: [] });
    expect(s.due(0)).toBe(0);
    expect(s.due(10)).toBe(10);
    for (let i = 0; i < 4; i++) s.next();
    expect(s.due(10)).toBe(6);
    expect(s.due(-5)).toBe(0);
    expect(s.due(60_000)).toBe(996);
  });

  it('sends the focus share to focus pods, evenly, and round-robins over them', () => {
    const s = new RateSchedule({ rate: 1000, seconds: 1, focusFraction: 0.1, podCount: 100, focus: [5, 6] });
    const all = drain(s);
    const focus = all.filter((u) => u.focus);
    expect(focus).toHaveLength(100);
    expect(focus.slice(0, 4).map((u) => u.pod)).toEqual([5, 6, 5, 6]);
    // Every prefix stays within one update of the share.
    let seen = 0;
    all.forEach((u, i) => {
      if (u.focus) seen++;
      expect(Math.abs(seen - (i + 1) * 0.1)).toBeLessThan(1);
    });
  });

  it('never sends a background update to a focus pod, and covers every other pod', () => {
    const s = new RateSchedule({ rate: 300, seconds: 1, focusFraction: 0.5, podCount: 10, focus: [0, 9] });
    const background = drain(s).filter((u) => !u.focus);
    expect(background.some((u) => u.pod === 0 || u.pod === 9)).toBe(false);
    expect(new Set(background.map((u) => u.pod))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
  });

  it('ignores the focus share when there are no focus pods', () => {
    const s = new RateSchedule({ rate: 10, seconds: 1, focusFraction: 0.5, podCount: 3, focus: [] });
    expect(drain(s).map((u) => u.pod)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
  });

  it('rejects bad options with a clear error', () => {
    const ok = { rate: 10, seconds: 1, focusFraction: 0.1, podCount: 5, focus: [1] };
    expect(() => new RateSchedule({ ...ok, rate: 0 })).toThrow(/rate/);
    expect(() => new RateSchedule({ ...ok, seconds: Number.NaN })).toThrow(/seconds/);
    expect(() => new RateSchedule({ ...ok, focusFraction: 1.5 })).toThrow(/fraction/);
    expect(() => new RateSchedule({ ...ok, podCount: 0 })).toThrow(/pod count/);
    expect(() => new RateSchedule({ ...ok, focus: [5] })).toThrow(/out of range/);
    expect(() => new RateSchedule({ ...ok, focus: [1, 1] })).toThrow(/duplicates/);
    expect(() => new RateSchedule({ ...ok, podCount: 1, focus: [0] })).toThrow(/background/);
  });
});
