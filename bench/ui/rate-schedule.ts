// Which pod each update of a paced load goes to, and how many updates are due at a moment. Used by
// sim-process.ts's "rate R SECONDS FRACTION" command for the ui benchmark: R updates per second
// spread over the whole cluster, of which FRACTION go to a small set of focus pods (the rows the
// browser has on screen), so a 50,000-pod load still yields enough on-screen samples.
//
// Invariants: focus pods receive only focus updates (the background round-robin skips them), so
// every update of a focus pod is one the schedule labelled `focus` and can be joined with what
// the page saw; the focus share stays within one update of FRACTION at every prefix of the load.

export interface RateScheduleOptions {
  /** Updates per second; a positive finite number. */
  rate: number;
  /** Length of the load in seconds; a positive finite number. */
  seconds: number;
  /** Share of updates that go to focus pods, in [0, 1]; ignored (0) when there are no focus pods. */
  focusFraction: number;
  /** Number of pods in the cluster (indices 0..podCount-1). */
  podCount: number;
  /** Indices of the focus pods, each in [0, podCount), no duplicates. */
  focus: readonly number[];
}

export interface ScheduledUpdate {
  /** Index of the pod to update. */
  pod: number;
  focus: boolean;
}

export class RateSchedule {
  readonly total: number;
  readonly #rate: number;
  readonly #fraction: number;
  readonly #podCount: number;
  readonly #focus: readonly number[];
  readonly #isFocus: ReadonlySet<number>;
  /** Updates handed out so far. */
  #issued = 0;
  #focusIssued = 0;
  /** Next background candidate (round-robin over all pods, focus pods skipped). */
  #cursor = 0;

  constructor(opts: RateScheduleOptions) {
    if (!(Number.isFinite(opts.rate) && opts.rate > 0)) throw new Error(`rate must be > 0, got ${opts.rate}`);
    if (!(Number.isFinite(opts.seconds) && opts.seconds > 0))
      throw new Error(`seconds must be > 0, got ${opts.seconds}`);
    if (!(opts.focusFraction >= 0 && opts.focusFraction <= 1))
      throw new Error(`focus fraction must be in [0, 1], got ${opts.focusFraction}`);
    if (!Number.isInteger(opts.podCount) || opts.podCount < 1)
      throw new Error(`pod count must be a positive integer, got ${opts.podCount}`);
    const isFocus = new Set(opts.focus);
    if (isFocus.size !== opts.focus.length) throw new Error('focus pods contain duplicates');
    for (const i of opts.focus) {
      if (!Number.isInteger(i) || i < 0 || i >= opts.podCount) throw new Error(`focus pod ${i} out of range`);
    }
    if (opts.focus.length > 0 && opts.focusFraction < 1 && isFocus.size === opts.podCount)
      throw new Error('every pod is a focus pod: no pod is left for the background share');
    this.total = Math.round(opts.rate * opts.seconds);
    this.#rate = opts.rate;
    this.#fraction = opts.focus.length === 0 ? 0 : opts.focusFraction;
    this.#podCount = opts.podCount;
    this.#focus = opts.focus;
    this.#isFocus = isFocus;
  }

  get issued(): number {
    return this.#issued;
  }

  /** How many more updates are due `elapsedMs` after the load started (never beyond the total). */
  due(elapsedMs: number): number {
    const target = Math.min(this.total, Math.floor((Math.max(0, elapsedMs) / 1000) * this.#rate));
    return Math.max(0, target - this.#issued);
  }

  /** The next update, or undefined once the total was handed out. */
  next(): ScheduledUpdate | undefined {
    if (this.#issued >= this.total) return undefined;
    const i = this.#issued++;
    // Update i is a focus update when the running focus quota floor((i+1)·f) grows at i: evenly spread.
    if (Math.floor((i + 1) * this.#fraction) > Math.floor(i * this.#fraction)) {
      const pod = this.#focus[this.#focusIssued++ % this.#focus.length]!;
      return { pod, focus: true };
    }
    let pod = this.#cursor;
    while (this.#isFocus.has(pod)) pod = (pod + 1) % this.#podCount;
    this.#cursor = (pod + 1) % this.#podCount;
    return { pod, focus: false };
  }
}
