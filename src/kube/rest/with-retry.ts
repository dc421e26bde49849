// RC-04..07: the retry loop around one request. Policy only; the RESTClient supplies the attempt.
//
// - A response is retried only when it is 429 or >= 500 AND carries an integer Retry-After
//   (TE-09); the wait is that many seconds.
// - A connection error (fetch's TypeError, BR-05) on a GET or a watch counts as a 500 with
//   Retry-After: 1 (RC-05, RC-06). Other verbs are never retried on connection errors: they are
//   not idempotent and the server may have acted.
// - At most maxRetries retries; when they run out the last *real* outcome is returned (the
//   response) or thrown (the connection error), never a synthetic one (RC-07).
import type { Clock } from '../clock/clock.ts';
import { isConnectionError, parseRetryAfter } from './status-error.ts';

export interface RetryOptions {
  /** Retries after the first attempt (RC-04 default 10; 0 disables retries). */
  maxRetries: number;
  clock: Clock;
  /** Whether a connection error may be retried (GET and watch only, RC-05). */
  retryConnectionErrors: boolean;
  signal?: AbortSignal;
  /** Runs before every attempt, retries included: the rate limiter's wait (RC-04). */
  beforeAttempt?: () => Promise<void>;
  /** Told about each retry, for logging or tests. */
  onRetry?: (attempt: number, waitSeconds: number, cause: Response | unknown) => void;
}

/** RC-04: the integer Retry-After of a retryable response, or undefined when it must not be retried. */
export function retryAfterSecondsOf(response: Response): number | undefined {
  if (response.status !== 429 && response.status < 500) return undefined;
  return parseRetryAfter(response.headers.get('Retry-After'));
}

export async function withRetry(attempt: () => Promise<Response>, opts: RetryOptions): Promise<Response> {
  const maxRetries = Math.max(0, Math.floor(opts.maxRetries));
  for (let n = 0; ; n++) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    await opts.beforeAttempt?.();
    let waitSeconds: number;
    let cause: Response | unknown;
    try {
      const response = await attempt();
      const retryAfter = retryAfterSecondsOf(response);
      if (retryAfter === undefined || n >= maxRetries) return response;
      waitSeconds = retryAfter;
      cause = response;
      // Free the connection of the response we are discarding.
      void response.body?.cancel().catch(() => {});
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (!opts.retryConnectionErrors || !isConnectionError(err) || n >= maxRetries) throw err;
      waitSeconds = 1;
      cause = err;
    }
    opts.onRetry?.(n + 1, waitSeconds, cause);
    await opts.clock.sleep(waitSeconds * 1000, opts.signal);
  }
}
