import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { type WatchTimerOptions, WatchTimers } from './watch-timers.ts';

function timers(over: Partial<WatchTimerOptions> = {}) {
  const clock = new FakeClock();
  let stops = 0;
  const t = new WatchTimers({
    clock,
    idleLimitMs: 10_000,
    resyncPeriodMs: 0,
    onResync: () => {},
    stopWatch: () => {
      stops++;
    },
    ...over,
    ...(over.clock ? {} : { clock }),
  });
  return { t, clock, stops: () => stops };
}

describe('WatchTimers', () => {
  it('BR-07: stops a watch idle for the limit; activity pushes the deadline', () => {
    const { t, clock, stops } = timers();
    clock.step(9_000);
    t.touch();
    clock.step(9_999);
    expect(stops()).toBe(0);
    clock.step(1);
    expect(stops()).toBe(1);
    expect(t.closedByUs).toBe(true);
  });

  it('R-21: a resync error ends the watch with that error; ticks repeat otherwise', () => {
    const clock = new FakeClock();
    let ticks = 0;
    const boom = new Error('resync failed');
    const { t, stops } = timers({
      clock,
      resyncPeriodMs: 1000,
      onResync: () => {
        ticks++;
        if (ticks === 3) throw boom;
      },
    });
    clock.step(5000);
    expect(ticks).toBe(3);
    expect(stops()).toBe(1);
    expect(t.resyncError).toBe(boom);
    expect(t.closedByUs).toBe(false);
  });

  it('R-33: warns until told to stop; cancel clears every timer', () => {
    const clock = new FakeClock();
    let warned = 0;
    const { t } = timers({
      clock,
      resyncPeriodMs: 500,
      warnEveryMs: 1000,
      onStillWaiting: () => ++warned < 2,
    });
    clock.step(3000);
    expect(warned).toBe(2);
    t.cancel();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('BR-06: closeIfOlderThan leaves young watches alone', () => {
    const { t, clock, stops } = timers();
    expect(t.closeIfOlderThan(1000)).toBe(false);
    clock.step(1000);
    expect(t.closeIfOlderThan(1000)).toBe(true);
    expect(stops()).toBe(1);
  });
});
