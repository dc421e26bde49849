// Bounds how many context probes (GET /clusters/{ctx}/version) run at once.
//
// Why: a kubeconfig can hold hundreds of contexts, and an unreachable one can take seconds to
// fail. The browser allows six HTTP/1.1 connections per origin (BR-09), shared with the app's
// lists and discovery; unbounded probes would queue those behind dead clusters. The queue keeps
// at most `limit` probes in flight, first come first served, and a probe whose signal aborts
// while it waits leaves the queue without ever taking a slot (a row scrolled out of view).
//
// Invariant: `active` counts the slots held (tasks started or woken, not yet settled); it never
// exceeds `limit`. A finishing task hands its slot straight to the first waiter.

export class ContextProbeQueue {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be an integer ≥ 1, got ${limit}`);
    this.#limit = limit;
  }

  /** Probes running now. */
  get active(): number {
    return this.#active;
  }

  /** Probes waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Run `task` once a slot is free. Rejects with the signal's reason, without running `task`, if
   * `signal` aborts while the task waits.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw signal.reason;
    // A woken waiter owns the slot its predecessor handed over (active unchanged); counting it
    // again after the await would let a probe submitted meanwhile take the same slot.
    if (this.#active >= this.#limit) await this.#slot(signal);
    else this.#active += 1;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active -= 1;
    }
  }

  #slot(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.#waiting.indexOf(wake);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(signal?.reason);
      };
      this.#waiting.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
