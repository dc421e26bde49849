// A FrameScheduler that runs at most once per `minIntervalMs`: the first change after a quiet spell
// is drawn on the next frame (no added latency at low rates), a stream of changes at most every
// minIntervalMs. For views a person reads rather than watches move, such as the watch-delta log: at
// a thousand events a second, rewriting it on every frame costs the page a layout per frame for
// text nobody can read at that speed, and delays the tables that matter (issue 5).
import { animationFrameScheduler, type FrameScheduler } from './frame-batcher.ts';

export interface PacedFramesOptions {
  minIntervalMs: number;
  frames?: FrameScheduler;
  now?: () => number;
  /** Delays; injected so tests control time. */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

const realTimer = (fn: () => void, ms: number): (() => void) => {
  const id = setTimeout(fn, ms);
  return () => clearTimeout(id);
};

export function pacedFrameScheduler(opts: PacedFramesOptions): FrameScheduler {
  const frames = opts.frames ?? animationFrameScheduler;
  const now = opts.now ?? (() => performance.now());
  const setTimer = opts.setTimer ?? realTimer;
  // Invariant: the time the last scheduled fn ran (-Infinity before the first).
  let lastRun = Number.NEGATIVE_INFINITY;
  return (fn) => {
    let cancelStep: () => void;
    const inFrame = () => {
      cancelStep = frames(() => {
        lastRun = now();
        fn();
      });
    };
    const wait = lastRun + opts.minIntervalMs - now();
    if (wait <= 0) inFrame();
    else cancelStep = setTimer(inFrame, wait);
    return () => cancelStep();
  };
}
