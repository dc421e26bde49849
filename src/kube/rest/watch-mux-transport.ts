// A fetch-compatible transport that carries long-lived GET streams (watches, log follows) over the
// proxy's watch multiplexer: one WebSocket per transport instead of one HTTP connection per
// stream (BR-09 option 2). Give it to RESTClient as `streamFetch`.
//
// The connection is opened lazily on the first request and reopened lazily on the first request
// after it died; streams in flight when it dies fail with a TypeError, which the watch decoder
// treats as a transport drop (WS-06) and the RESTClient as a connection error (RC-05/RC-06).
import type { FetchLike } from './rest-client.ts';
import { WatchMuxConnection, type WebSocketConstructor } from './watch-mux-connection.ts';

export interface WatchMuxTransportOptions {
  /** ws(s) URL of the multiplexer, e.g. `ws://127.0.0.1:8001/-/mux` (see WATCH_MUX_PATH). */
  url: string;
  /** globalThis.WebSocket in browsers; the `ws` package's class in Node. */
  WebSocket: WebSocketConstructor;
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
    const path = streamPath(input);
    if (!connection || connection.closed) connection = new WatchMuxConnection(opts.url, opts.WebSocket);
    return connection.open(path, init?.signal ?? undefined);
  }) as WatchMuxTransport;
  Object.defineProperty(transport, 'connection', { get: () => connection });
  transport.close = () => {
    connection?.close();
    connection = undefined;
  };
  return transport;
}
