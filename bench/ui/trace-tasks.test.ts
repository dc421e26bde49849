import { describe, expect, it } from 'vitest';
import { mainThreadTasks, type TraceEvent, traceEventsOf } from './trace-tasks.ts';

const meta = (pid: number, tid: number, name: string): TraceEvent => ({
  name: 'thread_name',
  ph: 'M',
  pid,
  tid,
  ts: 0,
  args: { name },
});
let clock = 0;
/** A task starting after the previous one (or at `at`, in µs, to nest it). */
const task = (
  pid: number,
  tid: number,
  ms: number,
  name = 'ThreadControllerImpl::RunTask',
  at?: number,
): TraceEvent => {
  if (at === undefined) clock += 1_000_000;
  const ts = at ?? clock;
  return { name, ph: 'X', pid, tid, ts, dur: ms * 1000, tdur: ms * 500 };
};

describe('mainThreadTasks', () => {
  it('takes the busiest renderer main thread and ignores other threads and non-task events', () => {
    const events = [
      meta(1, 1, 'CrRendererMain'),
      meta(1, 2, 'DedicatedWorker thread'),
      meta(2, 1, 'CrRendererMain'), // an idle spare renderer
      task(1, 1, 12),
      task(1, 1, 61),
      task(1, 1, 3),
      task(1, 1, 90, 'Layout'), // a slice inside a task, not a task
      task(1, 1, 20, 'RunTask'), // DevTools timeline traces name tasks RunTask
      task(1, 1, 5, 'ThreadControllerImpl::RunTask', clock + 1000), // nested in the previous one
      task(1, 2, 400), // the worker's tasks do not block the page
      task(2, 1, 55),
    ];
    expect(mainThreadTasks(events)).toEqual({ count: 4, longestMs: 61, longestCpuMs: 30.5, atLeast50Ms: 1 });
  });

  it('reports no tasks as zero, and reads both trace file shapes', () => {
    expect(mainThreadTasks([])).toEqual({ count: 0, longestMs: 0, longestCpuMs: 0, atLeast50Ms: 0 });
    expect(traceEventsOf({ traceEvents: [task(1, 1, 2)] })).toHaveLength(1);
    expect(traceEventsOf([task(1, 1, 2)])).toHaveLength(1);
    expect(() => traceEventsOf({})).toThrow(/not a Chromium trace/);
  });
});
