// RawConnectionPool: keep-alive connections to the apiservers for the proxy's plain GETs (lists,
// gets, discovery), read into reused slabs as the streams are (raw-stream.ts, slab-arena.ts).
//
// Why not Node's HTTP client: it hands every socket read to the HTTP parser as a fresh Buffer,
// outside V8's heap, and V8 answers that memory with full collections. Measured 2026-11-27 with
// 50,000 pods listed in pages of 500 through the proxy (211 MB): 25 mark-compacts and about 1.0 s
// of proxy CPU per list. Streams already read raw, but on a connection each (`connection: close`);
// a page per connection paid a TLS handshake each and saved nothing. So plain GETs keep their
// connections, and this pool owns them.
//
// Invariants:
// - A connection carries one exchange at a time, and goes back to the pool only when its response
//   was read to the exact end of its framing (Content-Length reached, or the chunked body's
//   trailer section ended) with no byte after it, the response was HTTP/1.1, and neither side
//   said `Connection: close`. Anything else closes it.
// - Connections are pooled per (target, TLS client identity): a socket opened with one client
//   certificate never carries another's requests. Request credentials (bearer tokens) travel in
//   each request's headers, so they may change between the requests of one connection.
// - A reused connection that the server closed while idle (the request crossed the close) fails
//   before any byte of an answer; only then is the GET sent again, once, on a new connection.
//   GETs are safe to repeat, and a connection that answered anything is never retried.
// - A connection is idle in the pool at most FREE_IDLE_MS, fewer than the shortest idle timeout
//   of common servers (Node's 5 s), and does not keep the process alive.
import type { IncomingHttpHeaders } from 'node:http';
import type { OnReadOpts, Socket } from 'node:net';
import type { Credentials } from '../kubeconfig/credentials.ts';
import type { UpstreamTarget } from '../kubeconfig/resolve-context.ts';
import { ChunkedFraming } from './chunked-framing.ts';
import { type PreparedRequest, type ResponseHead, ResponseHeadReader, requestHead } from './raw-stream.ts';
import { READ_SLAB_BYTES, SlabArena } from './slab-arena.ts';
import { type UpstreamCall, UpstreamError } from './upstream-client.ts';
import { connectUpstream, tlsIdentity } from './upstream-socket.ts';

/** How long a connection waits in the pool for its next request. */
export const FREE_IDLE_MS = 4_000;
/** Idle connections kept per (target, identity); more are closed when they come back. */
export const MAX_FREE_PER_KEY = 8;
/** Spare read slabs a pooled connection keeps (each READ_SLAB_BYTES). */
const POOLED_SPARE_SLABS = 2;

/** How the response body is delimited, which decides how the relay frames it for its client. */
export type BodyFraming = 'chunked' | 'length' | 'none' | 'close';

/** Where a pooled response's body goes. */
export interface BodySink {
  /**
   * The body's bytes as the client is to get them (a chunked body framed as it came, without its
   * last-chunk and trailers), views lent until `release` is called (once, for all of them).
   * Returning false pauses reading until PooledResponse.resume().
   */
  data(pieces: readonly Buffer[], release: () => void): boolean;
  /** The body is complete. */
  end(): void;
  /** The body will not complete (the connection closed or failed, a timeout, broken framing). */
  cut(reason: string): void;
}

export interface PooledResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  framing: BodyFraming;
  /** The credentials the request carried (a 401 invalidates exactly these). */
  creds: Credentials;
  /** Start delivering the body to `sink`. Once only. */
  readBody(sink: BodySink): void;
  /** Go on reading after sink.data returned false. */
  resume(): void;
  /** Give the response up: its connection is closed, never reused. */
  destroy(): void;
}

/** A reused connection closed before answering: the request may go again on a new one. */
class StaleConnection extends Error {}

interface Connection {
  readonly socket: Socket;
  readonly key: string;
  readonly target: UpstreamTarget;
  /** Where the connection's reads go: the current exchange, or the idle guard. */
  deliver: (bytes: Buffer, release: () => void) => boolean;
  /** The current exchange's reaction to the connection closing. */
  onClose: (() => void) | undefined;
  /** The current exchange's reaction to a clean end of the server's side (close-delimited bodies). */
  onEnd: (() => void) | undefined;
  lastError: NodeJS.ErrnoException | undefined;
  idleTimer: NodeJS.Timeout | undefined;
}

/** Reads arriving on an idle connection: the server is out of step with us, so close it. */
function idleGuard(conn: Connection): (bytes: Buffer, release: () => void) => boolean {
  return (_bytes, release) => {
    release();
    conn.socket.destroy();
    return false;
  };
}

export interface RawConnectionPoolOptions {
  /** How long a connection waits in the pool (default FREE_IDLE_MS). */
  idleMs?: number;
  /** Idle connections kept per (target, identity) (default MAX_FREE_PER_KEY). */
  maxFree?: number;
}

export class RawConnectionPool {
  /** Idle connections by target and identity, most recently used last (reused first). */
  readonly #free = new WeakMap<UpstreamTarget, Map<string, Connection[]>>();
  readonly #all = new Set<Connection>();
  readonly #idleMs: number;
  readonly #maxFree: number;

  constructor(opts: RawConnectionPoolOptions = {}) {
    this.#idleMs = opts.idleMs ?? FREE_IDLE_MS;
    this.#maxFree = opts.maxFree ?? MAX_FREE_PER_KEY;
  }

  /** Open connections, busy or idle (tests and diagnosis). */
  get size(): number {
    return this.#all.size;
  }

  /**
   * Send a GET and resolve with the response once its head arrived. `timeoutMs` bounds the whole
   * exchange, body included (504 before the head, a cut after it); `call.signal` aborts it.
   */
  async request(req: PreparedRequest, call: UpstreamCall, timeoutMs: number): Promise<PooledResponse> {
    const { name, target } = req;
    let head: string;
    try {
      head = requestHead(`${target.basePath}${call.apiPath}${call.search}`, target.origin.host, req.headers, {
        keepAlive: true,
      });
    } catch (err) {
      throw new UpstreamError(
        502,
        `context "${name}": bad request: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (call.signal.aborted) throw new UpstreamError(502, `request to context "${name}" was aborted`);
    const key = tlsIdentity(req.tls ? req.creds : {});
    const idle = this.#take(target, key);
    if (idle) {
      try {
        return await this.#exchange(idle, true, head, req, call, timeoutMs);
      } catch (err) {
        if (!(err instanceof StaleConnection)) throw err;
      }
    }
    return this.#exchange(this.#connect(req, key), false, head, req, call, timeoutMs);
  }

  /** Close every connection, idle or busy (shutdown). */
  destroy(): void {
    for (const conn of this.#all) conn.socket.destroy();
  }

  #connect(req: PreparedRequest, key: string): Connection {
    // Two spare slabs: a relay stops reading at 256 KiB waiting for its client, so a body has two
    // or three slabs in flight, and up to MAX_FREE_PER_KEY idle connections keep theirs.
    const slabs = new SlabArena(READ_SLAB_BYTES, POOLED_SPARE_SLABS);
    const onread: OnReadOpts = {
      buffer: () => slabs.next(),
      callback: (nread: number) => {
        const { bytes, release } = slabs.commit(nread);
        return conn.deliver(bytes, release);
      },
    };
    const socket = connectUpstream(req.target, req.creds, req.tls, onread);
    const conn: Connection = {
      socket,
      key,
      target: req.target,
      deliver: (_bytes, release) => {
        release();
        return false;
      },
      onClose: undefined,
      onEnd: undefined,
      lastError: undefined,
      idleTimer: undefined,
    };
    conn.deliver = idleGuard(conn);
    this.#all.add(conn);
    socket.setNoDelay(true);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      conn.lastError = err;
    });
    socket.on('end', () => conn.onEnd?.());
    socket.once('close', () => {
      this.#all.delete(conn);
      this.#forget(conn);
      clearTimeout(conn.idleTimer);
      conn.onClose?.();
    });
    return conn;
  }

  #exchange(
    conn: Connection,
    reused: boolean,
    head: string,
    req: PreparedRequest,
    call: UpstreamCall,
    timeoutMs: number,
  ): Promise<PooledResponse> {
    const { name, where, creds, tls } = req;
    const { socket } = conn;
    return new Promise<PooledResponse>((resolve, reject) => {
      type Phase = 'head' | 'body' | 'done';
      let phase: Phase = 'head';
      let answered = false;
      let sink: BodySink | undefined;
      /** A cut that happened before readBody() gave the body a sink. */
      let pendingCut: string | undefined;

      const stop = () => {
        phase = 'done';
        clearTimeout(timer);
        call.signal.removeEventListener('abort', onAbort);
        conn.onClose = undefined;
        conn.onEnd = undefined;
      };
      const fail = (err: Error) => {
        if (phase !== 'head') return;
        stop();
        socket.destroy();
        reject(err);
      };
      const cut = (reason: string) => {
        if (phase !== 'body') return;
        stop();
        socket.destroy();
        if (sink) sink.cut(reason);
        else pendingCut = reason;
      };
      const onAbort = () => {
        fail(new UpstreamError(502, `request to context "${name}" was aborted`));
        cut('the request was aborted');
      };
      const timer = setTimeout(() => {
        fail(new UpstreamError(504, `context "${name}": ${where} did not answer within ${timeoutMs} ms`));
        cut(`no complete answer within ${timeoutMs} ms`);
      }, timeoutMs);
      if (call.signal.aborted) {
        onAbort();
        return;
      }
      call.signal.addEventListener('abort', onAbort, { once: true });
      conn.onClose = () => {
        if (phase === 'head' && reused && !answered) {
          stop();
          reject(new StaleConnection());
          return;
        }
        const why = conn.lastError ? `: ${conn.lastError.code ?? conn.lastError.message}` : '';
        fail(
          new UpstreamError(
            502,
            answered || why === ''
              ? `context "${name}": ${where} closed the connection before answering`
              : `context "${name}": cannot reach ${where}${why}`,
          ),
        );
        cut(`the upstream connection closed mid-body${why}`);
      };

      const heads = new ResponseHeadReader();
      conn.deliver = (bytes, release) => {
        answered = true;
        const parsed = heads.push(bytes);
        release();
        if (parsed === undefined) return true;
        if ('error' in parsed) {
          fail(new UpstreamError(502, `context "${name}": ${where} ${parsed.error}`));
          return false;
        }
        const framing = bodyFraming(parsed);
        if (typeof framing === 'string') {
          fail(new UpstreamError(502, `context "${name}": ${where} ${framing}`));
          return false;
        }
        phase = 'body';
        resolve(
          this.#response(
            conn,
            parsed,
            framing,
            creds,
            (s) => (sink = s),
            cut,
            stop,
            () => pendingCut,
          ),
        );
        // Stop reading until the body has its sink: bytes read before would have nowhere to go.
        return false;
      };

      socket.ref();
      if (reused) socket.write(head);
      else socket.once(tls ? 'secureConnect' : 'connect', () => socket.write(head));
    });
  }

  /** The response of an exchange whose head arrived; its body is read on readBody(). */
  #response(
    conn: Connection,
    head: ResponseHead,
    framing: Framing,
    creds: Credentials,
    setSink: (sink: BodySink) => void,
    cut: (reason: string) => void,
    stop: () => void,
    pendingCut: () => string | undefined,
  ): PooledResponse {
    const { socket } = conn;
    // Both Transfer-Encoding and Content-Length: the former wins (RFC 9112 section 6.3), but such a
    // message may be an attempt at response splitting, so its connection is not trusted again.
    const ambiguous =
      head.headers['transfer-encoding'] !== undefined && head.headers['content-length'] !== undefined;
    const keepAlive =
      head.httpVersion === '1.1' &&
      framing.kind !== 'close' &&
      !ambiguous &&
      !/(^|,)\s*close\s*(,|$)/i.test(String(head.headers.connection ?? ''));
    let reading = false;
    return {
      statusCode: head.statusCode,
      headers: head.headers,
      framing: framing.kind,
      creds,
      resume: () => socket.resume(),
      destroy: () => {
        stop();
        socket.destroy();
      },
      readBody: (sink) => {
        if (reading) throw new Error('readBody called twice');
        reading = true;
        setSink(sink);
        const early = pendingCut();
        if (early !== undefined) {
          sink.cut(early);
          return;
        }
        // Returns whether the connection goes on reading (back in the pool, under the idle guard).
        const finish = (excess: boolean): boolean => {
          stop();
          const kept = keepAlive && !excess && this.#putBack(conn);
          if (!kept) socket.destroy();
          sink.end();
          return kept;
        };
        const body = bodyReader(framing, sink, finish, cut);
        if (framing.kind === 'close') conn.onEnd = () => finish(true);
        conn.deliver = body;
        if (framing.kind === 'none' || (framing.kind === 'length' && framing.length === 0)) {
          finish(head.rest.length > 0);
          return;
        }
        if (head.rest.length > 0 && !body(head.rest, () => {})) return;
        if (!socket.destroyed) socket.resume();
      },
    };
  }

  #take(target: UpstreamTarget, key: string): Connection | undefined {
    const list = this.#free.get(target)?.get(key);
    const conn = list?.pop();
    if (conn) clearTimeout(conn.idleTimer);
    return conn;
  }

  /** Pool an idle connection; false when the pool is full (the caller closes it). */
  #putBack(conn: Connection): boolean {
    let byKey = this.#free.get(conn.target);
    if (!byKey) {
      byKey = new Map();
      this.#free.set(conn.target, byKey);
    }
    let list = byKey.get(conn.key);
    if (!list) {
      list = [];
      byKey.set(conn.key, list);
    }
    if (list.length >= this.#maxFree) return false;
    conn.deliver = idleGuard(conn);
    list.push(conn);
    // An idle connection must not keep the proxy's process alive; it keeps reading, so that a
    // server closing it is seen at once (and a stray byte closes it, idleGuard).
    conn.socket.unref();
    conn.socket.resume();
    conn.idleTimer = setTimeout(() => conn.socket.destroy(), this.#idleMs);
    conn.idleTimer.unref();
    return true;
  }

  #forget(conn: Connection): void {
    const list = this.#free.get(conn.target)?.get(conn.key);
    const at = list?.indexOf(conn) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
  }
}

type Framing =
  | { kind: 'chunked' }
  | { kind: 'length'; length: number }
  | { kind: 'none' }
  | { kind: 'close' };

/** How a response to a GET is delimited (RFC 9112 section 6.3), or what is wrong with its head. */
function bodyFraming(head: ResponseHead): Framing | string {
  const { statusCode, headers } = head;
  if (statusCode === 204 || statusCode === 304) return { kind: 'none' };
  const te = headers['transfer-encoding'];
  if (te !== undefined) {
    // Chunked must be the final coding; any other coding is delimited by the connection's end.
    return /(^|,)\s*chunked\s*$/i.test(String(te)) ? { kind: 'chunked' } : { kind: 'close' };
  }
  const cl = headers['content-length'];
  if (cl !== undefined) {
    // Repeated headers arrive joined with ", "; they must all agree.
    const values = new Set(
      String(cl)
        .split(',')
        .map((v) => v.trim()),
    );
    const [only] = values;
    if (values.size !== 1 || only === undefined || !/^\d{1,15}$/.test(only))
      return `sent a bad Content-Length "${String(cl).slice(0, 40)}"`;
    return { kind: 'length', length: Number(only) };
  }
  return { kind: 'close' };
}

/** The connection's reads during a body: framing followed, pieces to the sink, the end found. */
function bodyReader(
  framing: Framing,
  sink: BodySink,
  finish: (excess: boolean) => boolean,
  cut: (reason: string) => void,
): (bytes: Buffer, release: () => void) => boolean {
  switch (framing.kind) {
    case 'length': {
      let remaining = framing.length;
      return (bytes, release) => {
        const take = Math.min(remaining, bytes.length);
        remaining -= take;
        const more = sink.data([take === bytes.length ? bytes : bytes.subarray(0, take)], release);
        if (remaining === 0) return finish(take < bytes.length);
        return more;
      };
    }
    case 'chunked': {
      const chunks = new ChunkedFraming('framed');
      return (bytes, release) => {
        const r = chunks.push(bytes);
        if (r.error) {
          release();
          cut(`upstream body is malformed: ${r.error}`);
          return false;
        }
        let more = true;
        if (r.forward.length > 0) more = sink.data(r.forward, release);
        else release();
        if (chunks.ended) return finish(chunks.excess);
        return more;
      };
    }
    default:
      // 'close' (ended by conn.onEnd); 'none' never reads.
      return (bytes, release) => sink.data([bytes], release);
  }
}
