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
// Backpressure: when the browser's connection stops taking bytes, the upstream socket is paused
// until it drains. When the browser goes away the forward route's abort destroys the upstream.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { ChunkedFraming } from './chunked-framing.ts';
import { clientResponseHeaders } from './forward-headers.ts';
import type { RawStream } from './raw-stream.ts';

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
  res.writeHead(raw.statusCode, headers);
  res.flushHeaders();
  req.socket.setNoDelay(true);
  if (!chunked) {
    if (raw.rest.length > 0) res.write(raw.rest);
    pipeline(socket, res, (err) => {
      if (err) warn(`stream ended early: ${err.message}`);
    });
    socket.resume();
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
  const onDrain = () => socket.resume();
  const onData = (buf: Buffer) => {
    const r = framing.push(buf);
    let flowing = true;
    for (const piece of r.forward) flowing = out.write(piece) && flowing;
    if (r.error) {
      warn(`upstream stream is malformed: ${r.error}`);
      socket.destroy();
      res.destroy();
      return;
    }
    if (r.done) {
      complete = true;
      socket.destroy();
      res.end();
      return;
    }
    if (!flowing) {
      socket.pause();
      out.once('drain', onDrain);
    }
  };
  socket.on('close', () => {
    out.off('drain', onDrain);
    if (complete) return;
    warn('stream ended early: the upstream connection closed mid-body');
    res.destroy();
  });
  if (raw.rest.length > 0) onData(raw.rest);
  if (complete || socket.destroyed) return;
  socket.on('data', onData);
  socket.resume();
}
