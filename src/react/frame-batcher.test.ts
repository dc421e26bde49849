import { describe, expect, it } from 'vitest';
import { FrameBatcher, type FrameScheduler } from './frame-batcher.ts';

function manualFrames(): { schedule: FrameScheduler; tick(): void; pending(): number } {
  let queue: (() => void)[] = [];
  return {
    schedule(fn) {
      queue.push(fn);
      return () => {
        queue = queue.filter((f) => f !== fn);
      };
    },
    tick() {
      const run = queue;
      queue = [];
      for (const fn of run) fn();
    },
    pending: () => queue.length,
  };
}

describe('FrameBatcher', () => {
  it('flushes once per frame however many notifications arrive', () => {
    const frames = manualFrames();
    let flushes = 0;
    const batcher = new FrameBatcher(() => flushes++, frames.schedule);
    for (let i = 0; i < 1000; i++) batcher.notify();
    expect(frames.pending()).toBe(1);
    frames.tick();
    expect(flushes).toBe(1);
    batcher.notify();
    frames.tick();
    expect(flushes).toBe(2);
  });

  it('cancel drops a scheduled flush', () => {
    const frames = manualFrames();
    let flushes = 0;
    const batcher = new FrameBatcher(() => flushes++, frames.schedule);
    batcher.notify();
    batcher.cancel();
    frames.tick();
    expect(flushes).toBe(0);
  });
});
