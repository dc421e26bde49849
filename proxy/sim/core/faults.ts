// Switches that make the simulated cluster misbehave on purpose, for tests of client resilience:
// injected error statuses for the next N matching requests, added latency, stalled requests,
// watches that drop after a while or trickle their chunks, and an apiserver-style rate limit
// (429 with Retry-After, TE-03/TE-08/RC-04), and watch-body faults a network or a buggy server
// produces: silence (no bytes, no bookmarks, no timeout), chunk boundaries inside UTF-8 characters
// and lines (WS-03), a malformed line (WS-05), an ERROR event with an unexpected Status (WS-07) and
// a truncated final line (WS-06). All off by default.
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
  /**
   * While set, every watch body sends nothing more (no events, no bookmarks) and ignores its
   * timeoutSeconds: the connection stays open until the client gives up (BR-07).
   */
  silenceWatches: boolean;
  /**
   * > 0: watch bodies are sent as bytes in pieces of at most this many bytes, and cut right after
   * the first byte of every multi-byte UTF-8 character, one piece per write (WS-03).
   */
  watchSplitBytes: number;
  /** The next N watch chunks (across all watches) have their first line replaced by malformed JSON (WS-05). */
  corruptWatchLines: number;
  /** The next N watches that send a chunk send an ERROR event with an unexpected Status instead, then end (WS-07). */
  watchErrorEvents: number;
  /** The next N watches that send a chunk send only the first half of its first line, then end (WS-06). */
  truncateWatches: number;
  /**
   * The body a watch response sends: `source` with the watch switches above and trickleMs
   * applied. Stops pulling from `source` (closing it) when the body ends or `signal` aborts.
   */
  watchBody(source: AsyncIterable<string>, signal: AbortSignal): AsyncIterable<string | Uint8Array>;
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
  silenceWatches = false;
  watchSplitBytes = 0;
  corruptWatchLines = 0;
  watchErrorEvents = 0;
  truncateWatches = 0;
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
    this.silenceWatches = false;
    this.watchSplitBytes = 0;
    this.corruptWatchLines = 0;
    this.watchErrorEvents = 0;
    this.truncateWatches = 0;
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

  watchBody(source: AsyncIterable<string>, signal: AbortSignal): AsyncIterable<string | Uint8Array> {
    return {
      [Symbol.asyncIterator]: () => new FaultyWatchBody(this, source[Symbol.asyncIterator](), signal),
    };
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

/**
 * The iterator behind watchBody. Hand-written rather than an async generator: a generator's
 * return() waits behind a pending next(), so a client going away while the watch is idle (or
 * silenced) could never close the WatchStream. Here return() closes the source at once.
 *
 * Invariant: once #finished is set the source has been returned and nothing more is yielded.
 */
class FaultyWatchBody implements AsyncIterator<string | Uint8Array> {
  readonly #faults: FaultInjector;
  readonly #source: AsyncIterator<string>;
  /** Aborted by the client (request signal) or by return(). */
  readonly #stop: AbortSignal;
  readonly #returned = new AbortController();
  /** Pieces of the current chunk still to send (split mode). */
  #pieces: Uint8Array[] = [];
  #endAfterPieces = false;
  #finished = false;

  constructor(faults: FaultInjector, source: AsyncIterator<string>, signal: AbortSignal) {
    this.#faults = faults;
    this.#source = source;
    this.#stop = AbortSignal.any([signal, this.#returned.signal]);
  }

  async next(): Promise<IteratorResult<string | Uint8Array>> {
    const f = this.#faults;
    for (;;) {
      if (this.#finished || this.#stop.aborted) return this.#finish();
      const piece = this.#pieces.shift();
      if (piece !== undefined) {
        // A macrotask between pieces, so each leaves as a write of its own.
        await sleep(1, this.#stop);
        return { done: false, value: piece };
      }
      if (this.#endAfterPieces) return this.#finish();
      if (f.silenceWatches) return this.#silence();
      const r = await this.#source.next();
      if (this.#stop.aborted) return this.#finish();
      // The server ended the stream (timeoutSeconds, drop): a silenced watch hides even that.
      if (r.done) return f.silenceWatches ? this.#silence() : this.#finish();
      if (f.silenceWatches) return this.#silence();
      if (f.trickleMs > 0) await sleep(f.trickleMs, this.#stop);
      let out = r.value;
      if (f.watchErrorEvents > 0) {
        f.watchErrorEvents--;
        out = `{"type":"ERROR","object":${JSON.stringify(UNEXPECTED_STATUS)}}\n`;
        this.#endAfterPieces = true;
      } else if (f.truncateWatches > 0) {
        f.truncateWatches--;
        const line = out.slice(0, out.indexOf('\n') + 1 || out.length);
        out = line.slice(0, Math.max(1, Math.floor(line.length / 2)));
        this.#endAfterPieces = true;
      } else if (f.corruptWatchLines > 0) {
        f.corruptWatchLines--;
        const end = out.indexOf('\n');
        out = `${MALFORMED_LINE}${end < 0 ? '\n' : out.slice(end)}`;
      }
      if (f.watchSplitBytes > 0) {
        this.#pieces = splitUtf8(new TextEncoder().encode(out), f.watchSplitBytes);
        continue;
      }
      return { done: false, value: out };
    }
  }

  async return(): Promise<IteratorResult<string | Uint8Array>> {
    this.#returned.abort();
    return this.#finish();
  }

  async #silence(): Promise<IteratorResult<string | Uint8Array>> {
    await untilAborted(this.#stop);
    return this.#finish();
  }

  #finish(): IteratorResult<string | Uint8Array> {
    if (!this.#finished) {
      this.#finished = true;
      this.#pieces = [];
      void this.#source.return?.();
    }
    return { done: true, value: undefined };
  }
}

/** An ERROR event's object that is a Status, but with a code and reason no client maps (WS-07). */
const UNEXPECTED_STATUS = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'injected fault: an unexpected status in the watch stream',
  reason: 'InjectedUnexpected',
  code: 599,
};

/** A line that starts like an event and is not JSON (WS-05). */
const MALFORMED_LINE = '{"type":"MODIFIED","object":{"kind":"Pod",,}';

/**
 * Cut `bytes` into pieces of at most `max` bytes, and also right after the first byte of every
 * multi-byte UTF-8 sequence, so every such character straddles a boundary.
 */
export function splitUtf8(bytes: Uint8Array, max: number): Uint8Array[] {
  const size = Math.max(1, Math.floor(max));
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    // 0b11xxxxxx starts a multi-byte sequence.
    const leads = ((bytes[i] as number) & 0xc0) === 0xc0;
    if (leads || i + 1 - start >= size) {
      pieces.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) pieces.push(bytes.subarray(start));
  return pieces;
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
