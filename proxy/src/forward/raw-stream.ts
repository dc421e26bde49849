// A streaming GET to the apiserver on a connection of its own, handed back as the response head
// and the raw socket. The forward route then relays the body's bytes as the server framed them
// (chunked-framing.ts finds the end), instead of Node's HTTP client parsing every chunk into a
// stream piece and the server response re-framing it. Measured on the watch bench (bench/README.md,
// "proxy"): the parsed relay used 391 ms of proxy CPU per 128 MB replay, a raw relay 130–180 ms;
// on two cores shared with the simulator and the client that is the difference between 0.6× and
// 0.9× of direct throughput.
//
// The socket reads into reused slabs (slab-arena.ts, `onread`) instead of a new Buffer per read:
// 2026-11-27, the watch bench, proxy CPU 250 → 160–190 ms per replay, mark-compacts 49 → 1.
//
// Scope: GETs only (no body), HTTP/1.1, `Connection: close` (the socket serves this one stream and
// is never pooled, so nothing can be read after the body by mistake). Contexts reached through
// proxy-url keep Node's client (upstream-client.ts decides).
//
// Security: the socket goes to the kubeconfig's server only (host and port from the target, never
// from the request); every header name and value is validated as Node's client validates them (no
// CR/LF injection); the response head is bounded (64 KiB).
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { OnReadOpts, Socket } from 'node:net';
import type { Credentials } from '../kubeconfig/credentials.ts';
import type { UpstreamTarget } from '../kubeconfig/resolve-context.ts';
import { SlabArena } from './slab-arena.ts';
import { type UpstreamCall, UpstreamError } from './upstream-client.ts';
import { connectUpstream } from './upstream-socket.ts';

/**
 * The body's bytes as they are read: a view into the stream's read slabs (slab-arena.ts), valid
 * until `release` is called (exactly once, when nothing refers to the bytes any more: after the
 * write that sends them completed). Returning false pauses the socket; `socket.resume()` goes on.
 */
export type BodyReader = (bytes: Buffer, release: () => void) => boolean;

export interface RawStream {
  statusCode: number;
  /** Names lower-cased; repeated headers joined with ", " (set-cookie: an array), as Node does. */
  headers: IncomingHttpHeaders;
  /**
   * The upstream connection, paused after the head. Destroyed when the call's signal aborts or the
   * stream is idle past the limit; the reader destroys it when done. It never emits 'data' (it
   * reads into slabs): the body comes through readBody(), its end as 'end' then 'close'.
   */
  socket: Socket;
  /**
   * Start delivering the body to `reader`, beginning with the bytes that came with the head, and
   * resume the socket. Once only.
   */
  readBody(reader: BodyReader): void;
  /** The credentials the request carried (a 401 invalidates exactly these). */
  creds: Credentials;
}

/**
 * One attempt's target, credentials and request headers, prepared by UpstreamClient under the
 * same rules for both of its transports (Node's client and this one).
 */
export interface PreparedRequest {
  /** The context's name, for messages. */
  name: string;
  target: UpstreamTarget;
  creds: Credentials;
  tls: boolean;
  headers: OutgoingHttpHeaders;
  /** The server's origin, for messages. */
  where: string;
}

/** A response head larger than this is refused (a hostile or broken server). */
const MAX_HEAD_BYTES = 64 * 1024;

export function openRawStream(req: PreparedRequest, call: UpstreamCall, idleMs: number): Promise<RawStream> {
  const { name, target, creds, tls, where } = req;
  let head: string;
  try {
    head = requestHead(`${target.basePath}${call.apiPath}${call.search}`, target.origin.host, req.headers, {
      keepAlive: false,
    });
  } catch (err) {
    return Promise.reject(
      new UpstreamError(
        502,
        `context "${name}": bad request: ${err instanceof Error ? err.message : String(err)}`,
      ),
    );
  }
  if (call.signal.aborted)
    return Promise.reject(new UpstreamError(502, `request to context "${name}" was aborted`));

  return new Promise<RawStream>((resolve, reject) => {
    const slabs = new SlabArena();
    // Until the head is complete the bytes go to the head parser, then (from readBody) to the
    // body's reader. A read returning false stops the socket's reading.
    let deliver: (bytes: Buffer, release: () => void) => boolean;
    const onread: OnReadOpts = {
      buffer: () => slabs.next(),
      callback: (nread: number) => {
        const { bytes, release } = slabs.commit(nread);
        return deliver(bytes, release);
      },
    };
    const socket = connectUpstream(target, creds, tls, onread);
    let settled = false;
    const onAbort = () => {
      socket.destroy();
      fail(new UpstreamError(502, `request to context "${name}" was aborted`));
    };
    const fail = (err: UpstreamError) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(err);
    };
    call.signal.addEventListener('abort', onAbort, { once: true });
    socket.once('close', () => {
      call.signal.removeEventListener('abort', onAbort);
      fail(new UpstreamError(502, `context "${name}": ${where} closed the connection before answering`));
    });
    // BR-10: a stream is only given up after this much silence (the reader inherits the limit).
    socket.setTimeout(idleMs, () => {
      socket.destroy();
      fail(new UpstreamError(504, `context "${name}": stream idle for ${idleMs} ms`));
    });
    socket.setNoDelay(true);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      fail(new UpstreamError(502, `context "${name}": cannot reach ${where}: ${err.code ?? err.message}`));
    });
    socket.once(tls ? 'secureConnect' : 'connect', () => socket.write(head));
    const heads = new ResponseHeadReader();
    deliver = (bytes, release) => {
      if (settled) {
        release();
        return false;
      }
      const parsed = heads.push(bytes);
      release();
      if (parsed === undefined) return true;
      if ('error' in parsed) {
        fail(new UpstreamError(502, `context "${name}": ${where} ${parsed.error}`));
        return false;
      }
      settled = true;
      const { rest } = parsed;
      let reading = false;
      const readBody = (reader: BodyReader) => {
        if (reading) throw new Error('readBody called twice');
        reading = true;
        deliver = reader;
        if (rest.length > 0 && !reader(rest, () => {})) return;
        socket.resume();
      };
      resolve({ statusCode: parsed.statusCode, headers: parsed.headers, socket, readBody, creds });
      // Stop reading until the body has its reader: bytes read before would have nowhere to go.
      return false;
    };
  });
}

/** A parsed response head, and the bytes that came after it in the same reads (a copy). */
export interface ResponseHead {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** "1.1" or "1.0": an HTTP/1.0 response never keeps its connection for another request. */
  httpVersion: string;
  rest: Buffer;
}

/**
 * Collects a response head from socket reads. The bytes are copied (a head is small and may span
 * several reads), so the caller releases each read at once. push() gives undefined while the head
 * is incomplete, then the head, or what is wrong with it (over 64 KiB, malformed).
 */
export class ResponseHeadReader {
  #received = Buffer.alloc(0);

  push(bytes: Buffer): ResponseHead | { error: string } | undefined {
    const all = Buffer.concat([this.#received, bytes]);
    this.#received = all;
    const end = all.indexOf('\r\n\r\n');
    if (end === -1)
      return all.length > MAX_HEAD_BYTES ? { error: 'sent a response head over 64 KiB' } : undefined;
    const parsed = parseResponseHead(all.subarray(0, end).toString('latin1'));
    if (!parsed) return { error: 'sent a malformed response head' };
    // parseResponseHead accepted the status line, so it starts with "HTTP/1.0" or "HTTP/1.1".
    return { ...parsed, httpVersion: all.toString('latin1', 5, 8), rest: all.subarray(end + 4) };
  }
}

/**
 * The request head; throws on a header Node's own client would refuse (CR, LF, bad names).
 * Without keepAlive it asks the server to close the connection after the response.
 */
export function requestHead(
  path: string,
  host: string,
  headers: OutgoingHttpHeaders,
  opts: { keepAlive: boolean },
): string {
  if (!/^\/[\x21-\x7e]*$/.test(path))
    throw new Error('the request path holds characters a request line cannot');
  const lines = [`GET ${path} HTTP/1.1`, `host: ${host}`];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'connection' || lower === 'content-length') continue;
    validateHeaderName(name);
    for (const v of Array.isArray(value) ? value : [String(value)]) {
      validateHeaderValue(name, v);
      lines.push(`${name}: ${v}`);
    }
  }
  if (!opts.keepAlive) lines.push('connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Status and headers of an HTTP/1.x response head (without its final CRLF CRLF), or undefined. */
export function parseResponseHead(
  text: string,
): { statusCode: number; headers: IncomingHttpHeaders } | undefined {
  const lines = text.split('\r\n');
  const status = /^HTTP\/1\.[01] ([2-5]\d\d)(?: |$)/.exec(lines[0] ?? '');
  if (!status) return undefined;
  const headers: IncomingHttpHeaders = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) return undefined;
    const value = line.slice(colon + 1).trim();
    // As Node's own client would refuse it, and as the browser's response could not carry it
    // (a bare CR or LF, NUL, other controls): the whole head is malformed.
    if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) return undefined;
    if (name === 'set-cookie') {
      headers['set-cookie'] = [...(headers['set-cookie'] ?? []), value];
      continue;
    }
    const prev = headers[name];
    headers[name] = prev === undefined ? value : `${String(prev)}, ${value}`;
  }
  return { statusCode: Number(status[1]), headers };
}
