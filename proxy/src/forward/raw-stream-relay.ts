// Relays a raw upstream stream (raw-stream.ts) to the browser's response.
//
// A chunked body (every watch and log follow an apiserver sends) goes out byte for byte as the
// server framed it: the response head is Node's (filtered headers, security headers, its own
// `transfer-encoding: chunked`), then the upstream's chunks are written to the connection as they
// arrive, without the upstream's last-chunk; `res.end()` writes Node's own, so the connection stays
// usable for the next request. A body that ends without its last-chunk (a dropped upstream) is
// never completed for the browser: its connection is destroyed, and the client sees the stream
// fail, as it would from the server itself.
//
// Any other body (an error Status with a Content-Length, or one delimited by the connection's
// end) is piped through Node's response, and that connection is closed after it: a body shorter
// than its declared length must not leave a keep-alive connection out of step.
//
// The bytes are views into the raw stream's read slabs, released when the write that sends them
// completes. The reads of one event-loop turn go out as one write (corked until setImmediate).
//
// Backpressure: when more than RELAY_BUFFER_BYTES wait for the browser's connection, the upstream
// socket stops reading until it drains. When the browser goes away the forward route's abort
// destroys the upstream.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { ChunkedFraming } from './chunked-framing.ts';
import { clientResponseHeaders } from './forward-headers.ts';
import type { PooledResponse } from './raw-connection-pool.ts';
import type { RawStream } from './raw-stream.ts';

const RELAY_BUFFER_BYTES = 256 * 1024;

export function relayRawStream(
  raw: RawStream,
  req: IncomingMessage,
  res: ServerResponse,
  warn: (message: string) => void,
): void {
  const { socket } = raw;
  const chunked = /(^|,)\s*chunked\s*$/i.test(String(raw.headers['transfer-encoding'] ?? ''));
  const headers = clientResponseHeaders(raw.headers);
  if (!chunked) headers.connection = 'close';
  else delete headers['content-length']; // as in relayPooledResponse
  res.writeHead(raw.statusCode, headers);
  res.flushHeaders();
  req.socket.setNoDelay(true);
  if (!chunked) {
    relayPlain(raw, res, warn);
    return;
  }

  // Node frames this response as chunked too (an HTTP/1.1 request, no Content-Length): only then
  // can the upstream's chunks go out as they are. The forward route only relays raw when the
  // response has its connection (not a pipelined response queued behind another).
  const out = res.socket;
  if (!out || !res.chunkedEncoding) {
    warn('cannot relay the stream as framed (no HTTP/1.1 chunked response to the client)');
    socket.destroy();
    res.destroy();
    return;
  }
  const framing = new ChunkedFraming();
  let complete = false;
  const writer = new TurnWriter(out, out, () => socket.resume());
  cutIfClosedEarly(raw, res, () => complete, warn, writer.stop);
  raw.readBody((bytes, release) => {
    if (complete) {
      release();
      return false;
    }
    const r = framing.push(bytes);
    if (r.error) {
      release();
      warn(`upstream stream is malformed: ${r.error}`);
      socket.destroy();
      res.destroy();
      return false;
    }
    const more = writer.write(r.forward, release);
    if (r.done) {
      complete = true;
      socket.destroy();
      res.end();
      return false;
    }
    return more;
  });
}

/**
 * A pooled response (raw-connection-pool.ts: lists, gets, discovery) relayed to the browser's
 * response. A chunked body goes out as the server framed it, as a stream's does; a body with a
 * Content-Length goes out as it is, under the same header; a body delimited by the connection's end
 * is framed by Node and that connection closed after it. The browser's connection stays usable for
 * its next request whenever the body was complete.
 */
export function relayPooledResponse(
  upstream: PooledResponse,
  req: IncomingMessage,
  res: ServerResponse,
  warn: (message: string) => void,
): void {
  const headers = clientResponseHeaders(upstream.headers);
  if (upstream.framing === 'close') headers.connection = 'close';
  // A chunked body is relayed as chunked: a Content-Length beside it (ignored upstream, RFC 9112
  // section 6.3) must not reach the browser.
  if (upstream.framing === 'chunked') delete headers['content-length'];
  res.writeHead(upstream.statusCode, headers);
  const out = res.socket;
  const framed = upstream.framing === 'chunked';
  if (!out || (framed && !res.chunkedEncoding)) {
    warn('cannot relay the response as framed (no HTTP/1.1 chunked response to the client)');
    upstream.destroy();
    res.destroy();
    return;
  }
  req.socket.setNoDelay(true);
  // Framed bytes go straight to the connection (Node would frame them again), after the head; the
  // others through the response, which sends its head first and writes them as they are
  // (Content-Length) or frames them.
  if (framed) res.flushHeaders();
  const writer = new TurnWriter(out, framed ? out : res, () => upstream.resume());
  upstream.readBody({
    data: (pieces, release) => writer.write(pieces, release),
    end: () => {
      writer.stop();
      res.end();
    },
    cut: (reason) => {
      writer.stop();
      warn(`response cut: ${reason}`);
      res.destroy();
    },
  });
}

/**
 * Writes relayed pieces to the browser's connection: the reads of one event-loop turn (a TLS record
 * each) go out as one write, corked at the first and uncorked after the turn's I/O, and each read's
 * bytes are released when the write of its last piece completes (writes complete in order).
 * write() returns false once more than RELAY_BUFFER_BYTES wait for the browser (the turn's corked
 * bytes count): the caller then stops reading, and `resume` runs when the connection drains. That
 * also bounds the read slabs in use.
 */
class TurnWriter {
  #corked = false;
  readonly #out: Socket;
  readonly #target: Writable;
  readonly #onDrain: () => void;

  constructor(out: Socket, target: Writable, resume: () => void) {
    this.#out = out;
    this.#target = target;
    this.#onDrain = resume;
  }

  readonly #flush = (): void => {
    this.#corked = false;
    this.#out.uncork();
  };

  write(pieces: readonly Buffer[], release: () => void): boolean {
    const last = pieces.length - 1;
    if (last < 0) release();
    else {
      if (!this.#corked) {
        this.#corked = true;
        this.#out.cork();
        setImmediate(this.#flush);
      }
      for (let i = 0; i < last; i++) this.#target.write(pieces[i] as Buffer);
      this.#target.write(pieces[last] as Buffer, release);
    }
    if (this.#out.writableLength > RELAY_BUFFER_BYTES && !this.#out.destroyed) {
      this.#out.once('drain', this.#onDrain);
      return false;
    }
    return true;
  }

  /** No more writes: forget a pending drain. */
  readonly stop = (): void => {
    this.#out.off('drain', this.#onDrain);
  };
}

/**
 * A body that is not chunked (an error Status with a Content-Length, or one delimited by the
 * connection's end), written through Node's response as it arrives and ended when the upstream
 * ends; cut for the client when the upstream is.
 */
function relayPlain(raw: RawStream, res: ServerResponse, warn: (message: string) => void): void {
  const { socket } = raw;
  let ended = false;
  const onDrain = () => socket.resume();
  socket.once('end', () => {
    ended = true;
    res.end();
  });
  cutIfClosedEarly(
    raw,
    res,
    () => ended,
    warn,
    () => res.off('drain', onDrain),
  );
  raw.readBody((bytes, release) => {
    if (res.write(bytes, release)) return true;
    res.once('drain', onDrain);
    return false;
  });
}

/**
 * When the upstream connection closes, `cleanup` runs; if the body was not complete by then, the
 * client's response is destroyed too (never ended cleanly) and the cut is logged.
 */
function cutIfClosedEarly(
  raw: RawStream,
  res: ServerResponse,
  complete: () => boolean,
  warn: (message: string) => void,
  cleanup: () => void,
): void {
  raw.socket.once('close', () => {
    cleanup();
    if (complete()) return;
    warn('stream ended early: the upstream connection closed mid-body');
    res.destroy();
  });
}
