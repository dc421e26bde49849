// The Reflector's backoff between ListAndWatch rounds and between watch-start retries:
// 800 ms doubling to a 30 s cap, jitter 1.0, back to 800 ms once more than 2 minutes have passed
// since the last reset. Upstream chose these numbers to cut apiserver traffic when many clients
// fail together: the doubling backs every client off quickly, the jitter spreads their retries
// over a window as wide as the delay itself, and the 2-minute reset lets a healthy client start
// over from a short delay.
import type { Clock } from '../clock/clock.ts';

export interface BackoffOptions {
  /** Default 800 ms. */
  initialMs?: number;
  /** Default 30 s. */
  capMs?: number;
  /** Default 2. */
  factor?: number;
  /** Each delay d becomes d + rand·jitter·d. Default 1.0. */
  jitter?: number;
  /** Reset when strictly more than this has passed since the last reset. Default 2 min. */
  resetAfterMs?: number;
}

export class JitteredBackoff {
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #initialMs: number;
  readonly #capMs: number;
  readonly #factor: number;
  readonly #jitter: number;
  readonly #resetAfterMs: number;
  /** The un-jittered delay the next call returns (before jitter). Never above #capMs. */
  #currentMs: number;
  /** When the sequence was last reset (or created). */
  #lastReset: number;

  constructor(clock: Clock, random: () => number = Math.random, options: BackoffOptions = {}) {
    this.#clock = clock;
    this.#random = random;
    this.#initialMs = options.initialMs ?? 800;
    this.#capMs = options.capMs ?? 30_000;
    this.#factor = options.factor ?? 2;
    this.#jitter = options.jitter ?? 1;
    this.#resetAfterMs = options.resetAfterMs ?? 120_000;
    if (
      !(this.#initialMs > 0) ||
      !(this.#capMs >= this.#initialMs) ||
      !(this.#factor >= 1) ||
      !(this.#jitter >= 0)
    ) {
      throw new RangeError('JitteredBackoff: need 0 < initialMs <= capMs, factor >= 1, jitter >= 0');
    }
    this.#currentMs = this.#initialMs;
    this.#lastReset = clock.now();
  }

  /** The next delay in milliseconds. */
  next(): number {
    const now = this.#clock.now();
    if (now - this.#lastReset > this.#resetAfterMs) this.reset();
    const base = this.#currentMs;
    this.#currentMs = Math.min(this.#currentMs * this.#factor, this.#capMs);
    return base + this.#random() * this.#jitter * base;
  }

  reset(): void {
    this.#currentMs = this.#initialMs;
    this.#lastReset = this.#clock.now();
  }
}
