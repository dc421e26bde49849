// TE-10: optimistic concurrency. A PUT with a stale resourceVersion gets 409 Conflict and is never
// retried silently; callers wrap "re-read, mutate, write" in retryOnConflict, which re-runs the
// whole function only while it fails with a Conflict (util/retry in client-go).
import { type Clock, realClock } from '../clock/clock.ts';
import { isConflict } from './status-error.ts';

/** wait.Backoff: `steps` attempts; the wait starts at durationMs and is multiplied by factor. */
export interface Backoff {
  steps: number;
  durationMs: number;
  factor: number;
  /** Each wait d becomes d + random() * jitter * d. */
  jitter: number;
  /** Upper bound of a wait before jitter (unset: none). */
  capMs?: number;
}

/** For conflicts that are expected to resolve quickly (a controller's own writes). */
export const DefaultRetry: Readonly<Backoff> = Object.freeze({
  steps: 5,
  durationMs: 10,
  factor: 1.0,
  jitter: 0.1,
});
/** For conflicts that need the other writer to finish (e.g. an apply racing a controller). */
export const DefaultBackoff: Readonly<Backoff> = Object.freeze({
  steps: 4,
  durationMs: 10,
  factor: 5.0,
  jitter: 0.1,
});

export interface RetryOptions {
  clock?: Clock;
  /** Uniform in [0,1); injectable for deterministic tests. */
  random?: () => number;
  signal?: AbortSignal;
}

/** The waits a backoff produces between its attempts (steps - 1 of them). */
export function backoffDelays(backoff: Backoff, random: () => number = Math.random): number[] {
  validate(backoff);
  const out: number[] = [];
  let d = backoff.durationMs;
  for (let i = 1; i < backoff.steps; i++) {
    const base = backoff.capMs !== undefined ? Math.min(d, backoff.capMs) : d;
    out.push(backoff.jitter > 0 ? base + random() * backoff.jitter * base : base);
    d *= backoff.factor;
  }
  return out;
}

/** Re-run fn while it fails with a Conflict, at most backoff.steps times; other errors end at once. */
export function retryOnConflict<R>(
  backoff: Backoff,
  fn: () => Promise<R>,
  opts: RetryOptions = {},
): Promise<R> {
  return onError(backoff, isConflict, fn, opts);
}

/** retry.OnError: like retryOnConflict with any predicate. The last error is thrown when steps run out. */
export async function onError<R>(
  backoff: Backoff,
  retriable: (err: unknown) => boolean,
  fn: () => Promise<R>,
  opts: RetryOptions = {},
): Promise<R> {
  const clock = opts.clock ?? realClock;
  const delays = backoffDelays(backoff, opts.random);
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const delay = delays[attempt];
      if (!retriable(err) || delay === undefined) throw err;
      await clock.sleep(delay, opts.signal);
    }
  }
}

function validate(b: Backoff): void {
  if (!Number.isInteger(b.steps) || b.steps < 1)
    throw new RangeError(`backoff steps must be >= 1, got ${b.steps}`);
  for (const [k, v] of [
    ['durationMs', b.durationMs],
    ['factor', b.factor],
    ['jitter', b.jitter],
  ] as const) {
    if (!Number.isFinite(v) || v < 0)
      throw new RangeError(`backoff ${k} must be a finite number >= 0, got ${v}`);
  }
}
