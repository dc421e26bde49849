// Views receive changes batched per animation frame, never one render per watch event (decision
// recorded in app/providers.tsx). A FrameBatcher coalesces any number of notify() calls made before
// the next frame into a single flush.

/** Schedules fn for the next frame; returns a cancel function. Injected so tests control frames. */
export type FrameScheduler = (fn: () => void) => () => void;

export const animationFrameScheduler: FrameScheduler = (fn) => {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(() => fn());
    return () => cancelAnimationFrame(id);
  }
  // No frames (Node, hidden-tab fallbacks): ~one frame later.
  const id = setTimeout(fn, 16);
  return () => clearTimeout(id);
};

export class FrameBatcher {
  readonly #schedule: FrameScheduler;
  readonly #flush: () => void;
  // Invariant: non-null exactly while a flush is scheduled and not yet run.
  #cancel: (() => void) | null = null;

  constructor(flush: () => void, schedule: FrameScheduler = animationFrameScheduler) {
    this.#flush = flush;
    this.#schedule = schedule;
  }

  notify(): void {
    if (this.#cancel) return;
    this.#cancel = this.#schedule(() => {
      this.#cancel = null;
      this.#flush();
    });
  }

  cancel(): void {
    this.#cancel?.();
    this.#cancel = null;
  }
}
