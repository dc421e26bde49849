// RESTClient: the one place that talks HTTP to a cluster (through the proxy). It builds RC-01 URLs
// and RC-02 query strings, negotiates media types (RC-08), throttles (RC-03), retries (RC-04..07),
// reports Warning headers (TE-11) and turns failures into StatusError (TE-02..04).
//
// Everything is injected: fetch (MSW in tests, the watch multiplexer for streams in the browser),
// the clock (FakeClock in tests) and the warning handler. Requests are plain option objects; there
// is no hidden mutable builder state to share by mistake between calls.

import type { KubeObject, ListMeta, Status } from '../api/types.ts';
import type { ListOptions, Watch } from '../cache/lister-watcher.ts';
import { type Clock, realClock } from '../clock/clock.ts';
import { emptyWatch, StreamWatcher } from '../watch/stream-watcher.ts';
import { formatGoDuration } from './go-duration.ts';
import { ListMetaSniffer } from './list-meta-sniffer.ts';
import { appendListOptions, appendQuery, type QueryValue } from './list-options-query.ts';
import { ACCEPT_JSON } from './media-types.ts';
import { type ResourcePath, resourcePath } from './resource-path.ts';
import { isConnectionError, StatusError, statusErrorFromResponse } from './status-error.ts';
import { newRateLimiter, type RateLimiter } from './token-bucket.ts';
import { loggingWarningHandler, parseWarningHeader, type WarningHandler } from './warning-handler.ts';
import { withRetry } from './with-retry.ts';

/** The subset of fetch the client uses. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type Verb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RESTClientOptions {
  /** Prefix of every path: '/clusters/ctx' or 'http://127.0.0.1:PORT/clusters/ctx' (no trailing slash). */
  baseUrl: string;
  /** Defaults to globalThis.fetch, looked up at call time (so MSW's patch is seen). */
  fetch?: FetchLike;
  /** Transport for watches (long-lived streams), e.g. the watch multiplexer. Defaults to `fetch`. */
  streamFetch?: FetchLike;
  /** RC-03: default 5; < 0 disables throttling. */
  qps?: number;
  /** RC-03: default 10. */
  burst?: number;
  /** RC-04: default 10. */
  maxRetries?: number;
  clock?: Clock;
  /** TE-11: default logs every warning. */
  warningHandler?: WarningHandler;
  /** Default per-request timeout in ms for non-watch requests (0/unset: none). */
  timeoutMs?: number;
}

/** One request. Either `path` (absolute API path like '/api' or '/apis/apps/v1') or a resource path. */
export interface RequestOptions extends Partial<ResourcePath> {
  verb?: Verb;
  path?: string;
  listOptions?: ListOptions;
  query?: Record<string, QueryValue>;
  /** A JS value is sent as JSON; a string is sent as is. */
  body?: unknown;
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Overrides the client's timeoutMs; also sent as `timeout=<Go duration>` (RC-02). */
  timeoutMs?: number;
  /** Non-2xx statuses that are not errors for this call (e.g. 304 for discovery revalidation). */
  acceptStatus?: readonly number[];
  /**
   * For lists: called once with the ListMeta read from the start of a 2xx body, while the rest is
   * still arriving (list-meta-sniffer.ts), so a pager can request the next page early. A hint
   * only: never called when the body does not start with its metadata; errors it throws are ignored.
   */
  onListMeta?: (meta: ListMeta) => void;
}

/** A finished, non-failed response with its body read as text. */
export interface RestResponse {
  status: number;
  headers: Headers;
  text: string;
}

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

export class RESTClient {
  readonly baseUrl: string;
  readonly #fetch: FetchLike;
  readonly #streamFetch: FetchLike;
  readonly #limiter: RateLimiter;
  readonly #maxRetries: number;
  readonly #clock: Clock;
  readonly #warnings: WarningHandler;
  readonly #timeoutMs: number;

  constructor(opts: RESTClientOptions) {
    if (typeof opts.baseUrl !== 'string') throw new TypeError('RESTClient: baseUrl must be a string');
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.#fetch = opts.fetch ?? defaultFetch;
    this.#streamFetch = opts.streamFetch ?? this.#fetch;
    this.#clock = opts.clock ?? realClock;
    this.#limiter = newRateLimiter(opts.qps ?? 5, opts.burst ?? 10, this.#clock);
    const maxRetries = opts.maxRetries ?? 10;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new RangeError(`RESTClient: maxRetries must be an integer >= 0, got ${maxRetries}`);
    }
    this.#maxRetries = maxRetries;
    this.#warnings = opts.warningHandler ?? loggingWarningHandler();
    this.#timeoutMs = opts.timeoutMs ?? 0;
  }

  /** The full URL of a request (RC-01 path, RC-02 query). */
  url(req: RequestOptions, extra?: { watch?: boolean }): string {
    const path = req.path ?? resourcePath(req as ResourcePath);
    const params = new URLSearchParams();
    if (req.listOptions || extra?.watch)
      appendListOptions(params, { ...req.listOptions, watch: extra?.watch });
    appendQuery(params, req.query);
    const timeoutMs = req.timeoutMs ?? this.#timeoutMs;
    if (timeoutMs > 0) params.set('timeout', formatGoDuration(timeoutMs));
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  /** Send a request; non-2xx (outside acceptStatus) throws StatusError (TE-02). */
  async request(req: RequestOptions): Promise<RestResponse> {
    const verb = req.verb ?? 'GET';
    const url = this.url(req);
    const timeoutMs = req.timeoutMs ?? this.#timeoutMs;
    // RC-03: the token is taken before the request timeout starts.
    await this.#limiter.wait(req.signal);
    // One controller per request, fed by the caller's signal and the timeout. The listener on the
    // caller's (often long-lived) signal is removed when the request settles, so nothing leaks.
    const controller = new AbortController();
    const signal = controller.signal;
    const unlink = linkAbort(req.signal, controller);
    const timer =
      timeoutMs > 0
        ? this.#clock.setTimer(
            () =>
              controller.abort(new DOMException(`request timed out after ${timeoutMs} ms`, 'TimeoutError')),
            timeoutMs,
          )
        : undefined;
    let first = true;
    try {
      // Built once, before the loop: a body that cannot be serialised fails here, not as a
      // "connection error" inside the retry loop. String bodies replay on every attempt.
      const init = this.#init(req, verb, signal);
      const response = await withRetry(() => this.#fetch(url, init), {
        maxRetries: this.#maxRetries,
        clock: this.#clock,
        signal,
        // RC-05: bodies are always strings (replayable), so only the verb decides.
        retryConnectionErrors: verb === 'GET',
        // The first token was taken above, before the timeout started; each retry takes another.
        beforeAttempt: async () => {
          if (first) first = false;
          else await this.#limiter.wait(signal);
        },
      });
      this.#reportWarnings(response);
      const text =
        req.onListMeta && response.body && response.status >= 200 && response.status <= 299
          ? await readSniffingListMeta(response.body, req.onListMeta)
          : await response.text();
      if ((response.status < 200 || response.status > 299) && !req.acceptStatus?.includes(response.status)) {
        throw statusErrorFromResponse(response.status, text, {
          verb,
          retryAfter: response.headers.get('Retry-After'),
        });
      }
      return { status: response.status, headers: response.headers, text };
    } finally {
      timer?.cancel();
      unlink();
    }
  }

  /** Send a request and decode its JSON body (TE-04: a 2xx Status Failure or an empty body is an error). */
  async json<T>(req: RequestOptions): Promise<T> {
    const res = await this.request(req);
    return decodeObject<T>(res);
  }

  /**
   * Open a long-lived stream (a watch, a log follow). Never throttled (RC-03); retried like any GET,
   * connection errors included (RC-06). Resolves once headers arrive; non-2xx throws (WS-10).
   */
  async stream(req: RequestOptions, opts: { watch?: boolean } = {}): Promise<Response> {
    const url = this.url({ ...req, timeoutMs: req.timeoutMs ?? 0 }, opts);
    const signal = req.signal;
    const init = this.#init(req, 'GET', signal);
    const response = await withRetry(() => this.#streamFetch(url, init), {
      maxRetries: this.#maxRetries,
      clock: this.#clock,
      retryConnectionErrors: true,
      ...(signal ? { signal } : {}),
    });
    this.#reportWarnings(response);
    if (response.status < 200 || response.status > 299) {
      throw statusErrorFromResponse(response.status, await response.text().catch(() => ''), {
        verb: 'GET',
        retryAfter: response.headers.get('Retry-After'),
      });
    }
    return response;
  }

  /**
   * WS-01: start a watch. A non-2xx answer rejects with StatusError (WS-10); a connection failure
   * that survives the retries yields an empty, already-closed watch (WS-10), which the Reflector
   * treats as a watch that ended at once.
   */
  async watch<T extends KubeObject = KubeObject>(req: RequestOptions): Promise<Watch<T>> {
    // The watch's own controller: stop() aborts it, and so does the caller's signal.
    if (req.signal?.aborted) throw req.signal.reason;
    const controller = new AbortController();
    const signal = controller.signal;
    // Unlinked when the watch ends, so a reflector's long-lived signal collects no listeners.
    const unlink = linkAbort(req.signal, controller);
    let response: Response;
    try {
      response = await this.stream({ ...req, signal }, { watch: true });
    } catch (err) {
      unlink();
      if (!signal.aborted && isConnectionError(err)) return emptyWatch<T>();
      throw err;
    }
    if (!response.body) {
      unlink();
      return emptyWatch<T>();
    }
    return new StreamWatcher<T>(response.body, controller, unlink);
  }

  #init(req: RequestOptions, verb: Verb, signal: AbortSignal | undefined): RequestInit {
    const headers: Record<string, string> = { Accept: req.accept ?? ACCEPT_JSON, ...req.headers };
    let body: string | undefined;
    if (req.body !== undefined) {
      if (req.body instanceof ReadableStream || req.body instanceof Blob || req.body instanceof ArrayBuffer) {
        throw new TypeError('RESTClient: a body must be a string or a JSON-serialisable value');
      }
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      headers['Content-Type'] = req.contentType ?? 'application/json';
    }
    // BR-05: API responses must never come from the browser's HTTP cache.
    const init: RequestInit = { method: verb, headers, cache: 'no-store' };
    if (body !== undefined) init.body = body;
    if (signal) init.signal = signal;
    return init;
  }

  #reportWarnings(response: Response): void {
    const header = response.headers.get('Warning');
    if (!header) return;
    for (const w of parseWarningHeader(header)) {
      try {
        this.#warnings.handleWarning(w);
      } catch {
        // A faulty warning handler must not fail the request it was told about.
      }
    }
  }
}

/**
 * The body as text, like Response.text(), handing the list's metadata to onListMeta as soon as
 * the start of the body holds it. Same decoding as text(): UTF-8, bad bytes become U+FFFD.
 */
async function readSniffingListMeta(
  body: ReadableStream<Uint8Array>,
  onListMeta: (meta: ListMeta) => void,
): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const sniffer = new ListMetaSniffer();
  const pieces: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const piece = done ? decoder.decode() : decoder.decode(value, { stream: true });
      if (piece !== '') {
        pieces.push(piece);
        if (!sniffer.done) {
          const meta = sniffer.push(piece);
          if (meta) {
            try {
              onListMeta(meta);
            } catch {
              // A hint for the caller's own use; its failure must not fail the request.
            }
          }
        }
      }
      if (done) return pieces.join('');
    }
  } finally {
    reader.releaseLock();
  }
}

/** Abort `controller` when `signal` aborts; returns the function that removes the link. */
function linkAbort(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    controller.abort(signal.reason);
    return () => {};
  }
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function isStatusObject(value: unknown): value is Status {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'Status' &&
    typeof (value as { status?: unknown }).status === 'string'
  );
}

/** TE-04: decode a 2xx body as an object. */
export function decodeObject<T>(res: RestResponse): T {
  if (res.text.length === 0) {
    throw new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: res.status,
      reason: 'Unknown',
      message: `0-length response with status code: ${res.status} and content type: ${res.headers.get('Content-Type') ?? ''}`,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(res.text);
  } catch (err) {
    throw new StatusError({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: res.status,
      reason: 'Unknown',
      message: `unable to decode the response body as JSON (${(err as Error).message}): ${res.text.slice(0, 2048)}`,
    });
  }
  if (isStatusObject(value) && value.status !== 'Success') {
    throw new StatusError({ ...value, code: value.code ?? res.status });
  }
  return value as T;
}
