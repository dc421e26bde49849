// A raw HTTP/1.1 client over a TCP socket: the test writes the request line and headers byte for
// byte (node:http and fetch normalise paths, refuse some bytes and add their own headers). Every
// request ends its connection ("Connection: close" is the caller's job) and is bounded by a timeout.
import { connect } from 'node:net';

export interface RawReply {
  /** HTTP status, or 'closed' when the server dropped the connection without an answer. */
  status: number | 'closed';
  headers: Record<string, string>;
  body: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

function parse(raw: Buffer): RawReply {
  const end = raw.indexOf(HEADER_END);
  if (end === -1) return { status: 'closed', headers: {}, body: '' };
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!m?.[1]) return { status: 'closed', headers: {}, body: '' };
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let body = raw.subarray(end + HEADER_END.length);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status: Number(m[1]), headers, body: body.toString('utf8') };
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < data.length) {
    const lineEnd = data.indexOf('\r\n', pos);
    if (lineEnd === -1) break;
    const size = Number.parseInt(data.subarray(pos, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    pos = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/**
 * Send `head` (request line + headers, without the blank line) and then `body`, and collect the
 * answer until the server closes. A 101 answer resolves at once and the socket is destroyed.
 */
export function rawRequest(
  port: number,
  head: string | Buffer,
  body: Buffer | string = '',
  timeoutMs = 4_000,
): Promise<RawReply> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks)));
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (/^HTTP\/1\.1 101 /.test(Buffer.concat(chunks).subarray(0, 13).toString('latin1'))) finish();
    });
    socket.on('close', finish);
    // A server that answers early (413) and closes may reset our still-writing side: not an error.
    socket.on('error', finish);
    socket.on('connect', () => {
      const headBuf = typeof head === 'string' ? Buffer.from(head, 'latin1') : head;
      socket.write(Buffer.concat([headBuf, Buffer.from('\r\n\r\n')]));
      if (body.length > 0) socket.write(body);
    });
  });
}
