// Switches that make the simulated cluster misbehave on purpose, for tests of client resilience:
// injected error statuses for the next N matching requests, added latency, stalled requests,
// watches that drop after a while or trickle their chunks, and an apiserver-style rate limit
// (429 with Retry-After, TE-03/TE-08/RC-04). All off by default.
import type { SimRequest } from './sim-http.ts';
import { failure, type SimStatusError } from './status.ts';

export interface RateLimit {
  /** Sustained requests per second. */
  qps: number;
  /** Bucket size: requests allowed in a burst. */
  burst: number;
}

export type RequestMatcher = string | ((req: SimRequest) => boolean);

export interface SimFaults {
  /**
   * Answer the next `count` requests matching `matcher` (a path prefix, or a predicate; every
   * request when omitted) with `status` and the reason an apiserver gives that code. 429 and 503
   * carry Retry-After: 1.
   */
  failNext(status: number, count?: number, matcher?: RequestMatcher): void;
  /** Delay before every response, in ms (0 = none). */
  latencyMs: number;
  /** Requests whose path starts with a stalled prefix never answer until aborted or unstalled. */
  stall(pathPrefix: string): void;
  unstall(): void;
  /** Every watch opened while set is ended by the server after this many ms. */
  dropWatchesAfterMs: number | undefined;
  /** Delay between watch chunks, in ms (a slow, trickling stream). */
  trickleMs: number;
  /** Apiserver-side rate limit; undefined = unlimited. */
  rateLimit: RateLimit | undefined;
  /** Turn every switch off. */
  reset(): void;
}

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

interface Injection {
  status: number;
  remaining: number;
  matches: (req: SimRequest) => boolean;
}

/** The fault state of one cluster. `now` drives the rate limiter's token bucket. */
export class FaultInjector implements SimFaults {
  latencyMs = 0;
  dropWatchesAfterMs: number | undefined;
  trickleMs = 0;
  #rateLimit: RateLimit | undefined;
  #tokens = 0;
  #last = 0;
  #injections: Injection[] = [];
  #stalled: string[] = [];
  #unstallWaiters = new Set<() => void>();
  readonly #now: () => number;

  constructor(now: () => number, rateLimit?: RateLimit) {
    this.#now = now;
    this.rateLimit = rateLimit;
  }

  get rateLimit(): RateLimit | undefined {
    return this.#rateLimit;
  }

  set rateLimit(limit: RateLimit | undefined) {
    this.#rateLimit = limit;
    this.#tokens = limit?.burst ?? 0;
    this.#last = this.#now();
  }

  failNext(status: number, count = 1, matcher?: RequestMatcher): void {
    const matches =
      matcher === undefined
        ? () => true
        : typeof matcher === 'string'
          ? (req: SimRequest) => req.path.startsWith(matcher)
          : matcher;
    this.#injections.push({ status, remaining: count, matches });
  }

  stall(pathPrefix: string): void {
    this.#stalled.push(pathPrefix);
  }

  unstall(): void {
    this.#stalled = [];
    for (const wake of this.#unstallWaiters) wake();
    this.#unstallWaiters.clear();
  }

  reset(): void {
    this.latencyMs = 0;
    this.dropWatchesAfterMs = undefined;
    this.trickleMs = 0;
    this.rateLimit = undefined;
    this.#injections = [];
    this.unstall();
  }

  /** An injected failure for this request, consuming one use of the first matching injection. */
  injected(req: SimRequest): { error: SimStatusError; retryAfter?: number } | undefined {
    const hit = this.#injections.find((i) => i.remaining > 0 && i.matches(req));
    if (hit === undefined) return undefined;
    hit.remaining--;
    this.#injections = this.#injections.filter((i) => i.remaining > 0);
    const reason = REASONS[hit.status] ?? (hit.status >= 500 ? 'InternalError' : 'Unknown');
    const retryAfter = hit.status === 429 || hit.status === 503 ? 1 : undefined;
    const error = failure(hit.status, reason, `injected fault: ${reason} (${hit.status})`, {
      ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
    });
    return retryAfter === undefined ? { error } : { error, retryAfter };
  }

  /** Token bucket: undefined when the request may proceed, else the seconds to wait. */
  throttled(): number | undefined {
    const limit = this.#rateLimit;
    if (limit === undefined) return undefined;
    const now = this.#now();
    this.#tokens = Math.min(limit.burst, this.#tokens + ((now - this.#last) / 1000) * limit.qps);
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.#tokens) / limit.qps));
  }

  isStalled(path: string): boolean {
    return this.#stalled.some((p) => path.startsWith(p));
  }

  /** Resolves when unstalled or when `signal` aborts, whichever comes first. */
  waitWhileStalled(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = () => {
        signal.removeEventListener('abort', done);
        this.#unstallWaiters.delete(done);
        resolve();
      };
      signal.addEventListener('abort', done, { once: true });
      this.#unstallWaiters.add(done);
    });
  }
}

/** The 429 an apiserver's max-in-flight / priority-and-fairness filter answers. */
export function tooManyRequests(retryAfter: number): SimStatusError {
  return failure(429, 'TooManyRequests', 'Too many requests, please try again later.', {
    retryAfterSeconds: retryAfter,
  });
}
