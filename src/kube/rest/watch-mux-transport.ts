// A fetch-compatible transport that carries long-lived GET streams (watches, log follows) over the
// proxy's watch multiplexer: one WebSocket per transport instead of one HTTP connection per
// stream (BR-09 option 2). Give it to RESTClient as `streamFetch`.
//
// The connection is opened lazily on the first request and reopened lazily on the first request
// after it died; streams in flight when it dies fail with a TypeError, which the watch decoder
// treats as a transport drop (WS-06) and the RESTClient as a connection error (RC-05/RC-06).
//
// The `open` frame carries the path and the request's Accept header (server-side Table watches,
// RC-08, ask for Table output); the proxy sends plain JSON's Accept when there is none.
import { WATCH_MUX_PATH } from '../../../proxy/contract/watch-mux.ts';
import type { Clock } from '../clock/clock.ts';
import type { FetchLike } from './rest-client.ts';
import { WatchMuxConnection, type WebSocketConstructor } from './watch-mux-connection.ts';

export interface WatchMuxTransportOptions {
  /** ws(s) URL of the multiplexer, e.g. `ws://127.0.0.1:8001/-/mux` (see watchMuxUrl). */
  url: string;
  /** globalThis.WebSocket in browsers; the `ws` package's class in Node. */
  WebSocket: WebSocketConstructor;
  /** Give up on a socket that does not open within this time (default 10 s). */
  connectTimeoutMs?: number;
  clock?: Clock;
}

/** The multiplexer's URL for a page served by the proxy: `https://h:p/x` → `wss://h:p/-/mux`. */
export function watchMuxUrl(pageUrl: string): string {
  const u = new URL(pageUrl);
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new TypeError(`watchMuxUrl: not an http(s) URL: ${pageUrl}`);
  return `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}${WATCH_MUX_PATH}`;
}

export interface WatchMuxTransport extends FetchLike {
  /** Close the current connection (open streams fail as transport drops). */
  close(): void;
  /** The live connection, if any (for diagnostics and tests). */
  readonly connection: WatchMuxConnection | undefined;
}

/** The path (with query) the proxy should open: absolute URLs are reduced to path + search. */
function streamPath(input: string): string {
  if (input.startsWith('/')) return input;
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new TypeError(`watch multiplexer: not a URL or absolute path: ${input}`);
  }
  return `${url.pathname}${url.search}`;
}

export function createWatchMuxTransport(opts: WatchMuxTransportOptions): WatchMuxTransport {
  let connection: WatchMuxConnection | undefined;
  const transport = (async (input: string, init: RequestInit) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET') throw new TypeError(`watch multiplexer carries GET streams only, not ${method}`);
    // The Accept header travels in the open frame (Table watches, for instance); other request
    // headers are the proxy's business (it sets credentials itself).
    const accept = new Headers(init?.headers).get('Accept') ?? undefined;
    const path = streamPath(input);
    if (!connection || connection.closed)
      connection = new WatchMuxConnection(opts.url, opts.WebSocket, {
        ...(opts.connectTimeoutMs !== undefined ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
        ...(opts.clock ? { clock: opts.clock } : {}),
      });
    return connection.open(path, init?.signal ?? undefined, accept);
  }) as WatchMuxTransport;
  Object.defineProperty(transport, 'connection', { get: () => connection });
  transport.close = () => {
    connection?.close();
    connection = undefined;
  };
  return transport;
}
