import { describe, expect, it } from 'vitest';
import { FrameBatcher } from './frame-batcher.ts';
import { pacedFrameScheduler } from './paced-frames.ts';

/** Frames and timers run only when the test says so. */
function harness(minIntervalMs: number) {
  let clock = 0;
  let frames: (() => void)[] = [];
  let timers: { at: number; fn: () => void }[] = [];
  const schedule = pacedFrameScheduler({
    minIntervalMs,
    now: () => clock,
    frames: (fn) => {
      frames.push(fn);
      return () => {
        frames = frames.filter((f) => f !== fn);
      };
    },
    setTimer: (fn, ms) => {
      const t = { at: clock + ms, fn };
      timers.push(t);
      return () => {
        timers = timers.filter((x) => x !== t);
      };
    },
  });
  const advance = (ms: number) => {
    clock += ms;
    const due = timers.filter((t) => t.at <= clock);
    timers = timers.filter((t) => t.at > clock);
    for (const t of due) t.fn();
  };
  const frame = () => {
    const run = frames;
    frames = [];
    for (const f of run) f();
  };
  return { schedule, advance, frame, pendingTimers: () => timers.length };
}

describe('pacedFrameScheduler', () => {
  it('draws the first change on the next frame, then at most once per interval', () => {
    const h = harness(100);
    let flushes = 0;
    const batcher = new FrameBatcher(() => flushes++, h.schedule);
    batcher.notify();
    h.frame();
    expect(flushes).toBe(1); // nothing waited: the first change is not delayed

    h.advance(16);
    batcher.notify();
    h.frame();
    expect(flushes).toBe(1); // within the interval: waits for the timer, not the next frame
    for (let t = 0; t < 5; t++) batcher.notify(); // more changes coalesce into the same flush
    h.advance(83);
    h.frame();
    expect(flushes).toBe(1);
    h.advance(1); // 100 ms after the last flush
    h.frame();
    expect(flushes).toBe(2);
  });

  it('after a quiet spell longer than the interval, a change is drawn on the next frame again', () => {
    const h = harness(100);
    let flushes = 0;
    const batcher = new FrameBatcher(() => flushes++, h.schedule);
    batcher.notify();
    h.frame();
    h.advance(500);
    batcher.notify();
    expect(h.pendingTimers()).toBe(0);
    h.frame();
    expect(flushes).toBe(2);
  });

  it('cancel stops a flush waiting for its timer or its frame', () => {
    const h = harness(100);
    let flushes = 0;
    const batcher = new FrameBatcher(() => flushes++, h.schedule);
    batcher.notify();
    h.frame();
    batcher.notify();
    batcher.cancel();
    expect(h.pendingTimers()).toBe(0);
    h.advance(200);
    batcher.notify();
    batcher.cancel();
    h.frame();
    expect(flushes).toBe(1);
  });
});
