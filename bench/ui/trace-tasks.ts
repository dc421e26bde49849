// The page's main-thread tasks, read from a Chromium trace of the load ('toplevel' category: one
// ThreadControllerImpl::RunTask event per task the renderer's main thread ran; DevTools timeline
// traces name them RunTask). Only outermost ones count: a nested run loop's task is part of its
// parent's time. The Long Tasks API only reports tasks of
// 50 ms or more, so without this a load with no long task could only be bounded by the longest
// interval between frames; the trace gives the longest task itself.

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, when the trace records it. */
  tdur?: number;
  args?: { name?: string };
}

const TASK_NAMES = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);

export interface MainThreadTasks {
  /** Tasks the page's main thread ran in the trace. */
  count: number;
  /** The longest, in ms of wall-clock time (0 when there were none). */
  longestMs: number;
  /**
   * The CPU time of that longest task, in ms (NaN when the trace has no thread times). Far less
   * than longestMs means the thread waited for a core (other processes ran), not that page code ran.
   */
  longestCpuMs: number;
  /** How many took 50 ms or more (what the Long Tasks API would report). */
  atLeast50Ms: number;
}

/**
 * RunTask events of the renderer main thread ("CrRendererMain") that ran the most work: a browser
 * with one page has one such thread, but an extra renderer (about:blank, a spare) may appear, and
 * it sits idle.
 */
export function mainThreadTasks(events: readonly TraceEvent[]): MainThreadTasks {
  const mainThreads = new Set<string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      mainThreads.add(`${e.pid}:${e.tid}`);
  }
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph !== 'X' || !TASK_NAMES.has(e.name) || e.dur === undefined) continue;
    const thread = `${e.pid}:${e.tid}`;
    if (!mainThreads.has(thread)) continue;
    const list = byThread.get(thread) ?? [];
    list.push(e);
    byThread.set(thread, list);
  }
  const tasksByThread: { wall: number; cpu: number }[][] = [];
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts);
    const outer: { wall: number; cpu: number }[] = [];
    let end = Number.NEGATIVE_INFINITY;
    for (const e of list) {
      if (e.ts < end) continue; // inside the previous task
      outer.push({ wall: (e.dur ?? 0) / 1000, cpu: e.tdur === undefined ? Number.NaN : e.tdur / 1000 });
      end = e.ts + (e.dur ?? 0);
    }
    tasksByThread.push(outer);
  }
  let busiest: { wall: number; cpu: number }[] = [];
  let busiestSum = -1;
  for (const list of tasksByThread) {
    const sum = list.reduce((a, t) => a + t.wall, 0);
    if (sum > busiestSum) {
      busiest = list;
      busiestSum = sum;
    }
  }
  let longest: { wall: number; cpu: number } = { wall: 0, cpu: 0 };
  for (const t of busiest) if (t.wall > longest.wall) longest = t;
  return {
    count: busiest.length,
    longestMs: longest.wall,
    longestCpuMs: longest.cpu,
    atLeast50Ms: busiest.filter((t) => t.wall >= 50).length,
  };
}

/** The events of a trace file as Chromium writes it: `{ traceEvents: [...] }` or a bare array. */
export function traceEventsOf(json: unknown): TraceEvent[] {
  if (Array.isArray(json)) return json as TraceEvent[];
  const events = (json as { traceEvents?: unknown } | null)?.traceEvents;
  if (!Array.isArray(events)) throw new Error('not a Chromium trace: no traceEvents');
  return events as TraceEvent[];
}
