// The watch multiplexer: one WebSocket per tab carries every long-lived stream (watches, log
// follows) of that tab, so live views never hold the browser's six HTTP/1.1 connections per origin
// (BR-09 option 2). The proxy opens one upstream request per stream and relays its bytes unchanged;
// WS-02/WS-03 framing then applies per stream id, exactly as on a plain HTTP watch.
//
// Types and constants only: imports nothing.

/** WebSocket endpoint on the proxy. Same session rules as every API route (cookie, Host, Origin). */
export const WATCH_MUX_PATH = '/-/mux';

/** Client → proxy, JSON text frames. */
export type MuxClientFrame =
  /** Open a stream: path is the browser-facing path, e.g. "/clusters/kind/api/v1/pods?watch=true&resourceVersion=5". */
  | {
      op: 'open';
      id: number;
      path: string;
      /** The Accept header for the upstream request (e.g. Table output); plain JSON when absent. */
      accept?: string;
    }
  /** Abort a stream; the proxy aborts its upstream request at once and sends no more frames for id. */
  | { op: 'cancel'; id: number };

/** Proxy → client, JSON text frames. Body bytes travel in binary frames (see MUX_ID_BYTES). */
export type MuxServerFrame =
  /** The upstream answered: status and the headers the client may see (Content-Type, Retry-After, Warning). */
  | { op: 'headers'; id: number; status: number; headers: Record<string, string> }
  /** The stream ended: cleanly (no error) or with a transport error message naming the context. */
  | { op: 'end'; id: number; error?: string };

/**
 * Binary frames: the first MUX_ID_BYTES bytes are the stream id (unsigned, big-endian); the rest is
 * a chunk of the upstream body, byte for byte (a chunk may split a UTF-8 sequence or a line).
 */
export const MUX_ID_BYTES = 4;

/** Longest Accept value an `open` frame may carry (media types only; anything longer is refused). */
export const MUX_MAX_ACCEPT_LENGTH = 512;

/** Stream ids are positive 32-bit integers chosen by the client, unique per connection. */
export const MUX_MAX_ID = 0xffff_ffff;
