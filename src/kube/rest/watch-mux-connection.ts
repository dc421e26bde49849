// One WebSocket to the proxy's watch multiplexer (proxy/contract/watch-mux.ts) carrying many
// streams. Each stream looks like a fetch: open() resolves a Response once the `headers` frame
// arrives, and its body is fed by the binary frames of that id, byte for byte, so the watch
// decoder (WS-02/WS-03) sees exactly what a plain HTTP watch would deliver.
//
// Invariants: #streams holds exactly the ids that are open from our side; an id leaves it on
// `end`, on abort/cancel (after sending `cancel`), or when the socket dies. Frames for ids not in
// #streams are ignored (the proxy may still have had some in flight when we cancelled).
// Backpressure: the socket has none per stream, so chunks are enqueued as they come; the proxy
// pauses upstreams when the socket itself backs up.
import {
  MUX_ID_BYTES,
  MUX_MAX_ID,
  type MuxClientFrame,
  type MuxServerFrame,
} from '../../../proxy/contract/watch-mux.ts';
import { type Clock, realClock } from '../clock/clock.ts';

/** The part of the WebSocket API used here; browsers' WebSocket and the `ws` package both fit. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

const OPEN = 1;

interface StreamState {
  phase: 'headers' | 'body';
  resolve: (r: Response) => void;
  reject: (e: unknown) => void;
  controller?: ReadableStreamDefaultController<Uint8Array>;
  /** A failure that arrived while chunks were still queued: raised once they are read. */
  pendingError?: unknown;
  detachAbort: () => void;
}

/**
 * Fail a stream. controller.error() would drop chunks still queued, and bytes that arrived
 * before a drop must still reach the decoder (as they would over HTTP), so with chunks queued the
 * error waits in pendingError until pull() finds the queue empty. The body stream has a high
 * water mark of 0, so desiredSize is minus the queued chunk count.
 */
function failStream(s: StreamState, err: unknown): void {
  if (s.phase === 'headers') {
    s.reject(err);
    return;
  }
  const c = s.controller;
  if (!c) return;
  if (c.desiredSize === null) return; // already errored
  if (c.desiredSize < 0) {
    s.pendingError = err;
    return;
  }
  try {
    c.error(err);
  } catch {
    // already closed
  }
}

// Statuses a Response may not carry a body for.
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export class WatchMuxConnection {
  readonly #socket: WebSocketLike;
  readonly #ready: Promise<void>;
  readonly #streams = new Map<number, StreamState>();
  #nextId = 1;
  #dead: Error | undefined;

  /**
   * Opens the socket at once. If it is not open within connectTimeoutMs (default 10 s) it is
   * closed and every waiting stream fails with a TypeError, so a black-holed proxy cannot wedge
   * a watch start forever.
   */
  constructor(
    url: string,
    WebSocketImpl: WebSocketConstructor,
    opts: { connectTimeoutMs?: number; clock?: Clock } = {},
  ) {
    this.#socket = new WebSocketImpl(url);
    this.#socket.binaryType = 'arraybuffer';
    const clock = opts.clock ?? realClock;
    const connectTimeoutMs = opts.connectTimeoutMs ?? 10_000;
    this.#ready = new Promise<void>((resolve, reject) => {
      const timer = clock.setTimer(() => {
        this.#die(new TypeError(`watch multiplexer: no connection to ${url} after ${connectTimeoutMs} ms`));
        reject(this.#dead);
        try {
          this.#socket.close();
        } catch {
          // never opened
        }
      }, connectTimeoutMs);
      this.#socket.addEventListener('open', () => {
        timer.cancel();
        resolve();
      });
      this.#socket.addEventListener('error', () => {
        timer.cancel();
        this.#die(new TypeError(`watch multiplexer: connection to ${url} failed`));
        reject(this.#dead);
      });
      this.#socket.addEventListener('close', () => {
        timer.cancel();
        this.#die(new TypeError('watch multiplexer: connection closed'));
        reject(this.#dead);
      });
    });
    this.#ready.catch(() => {}); // observed by open()
    this.#socket.addEventListener('message', (event) => this.#onMessage(event.data));
  }

  /** True once the socket failed or closed; a new connection is needed for new streams. */
  get closed(): boolean {
    return this.#dead !== undefined;
  }

  /** Number of streams currently open on this connection. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /** Open a stream for `path` (browser-facing path with query). Rejects with TypeError on transport failure. */
  async open(path: string, signal?: AbortSignal, accept?: string): Promise<Response> {
    if (signal?.aborted) throw signal.reason;
    if (this.#dead) throw this.#dead;
    await abortable(this.#ready, signal);
    if (signal?.aborted) throw signal.reason;
    if (this.#dead) throw this.#dead;
    const id = this.#allocateId();
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => this.#cancel(id, signal?.reason ?? new DOMException('aborted', 'AbortError'));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#streams.set(id, {
        phase: 'headers',
        resolve,
        reject,
        detachAbort: () => signal?.removeEventListener('abort', onAbort),
      });
      this.#send(accept === undefined ? { op: 'open', id, path } : { op: 'open', id, path, accept });
    });
  }

  /** Close the socket; every open stream fails with a TypeError (a transport drop, WS-06). */
  close(): void {
    this.#die(new TypeError('watch multiplexer: connection closed by the client'));
    try {
      this.#socket.close(1000, 'client closed');
    } catch {
      // already closing
    }
  }

  #allocateId(): number {
    for (let tries = 0; tries < 1000; tries++) {
      const id = this.#nextId;
      this.#nextId = id >= MUX_MAX_ID ? 1 : id + 1;
      if (!this.#streams.has(id)) return id;
    }
    throw new TypeError('watch multiplexer: no free stream id');
  }

  #send(frame: MuxClientFrame): void {
    if (this.#socket.readyState !== OPEN) return;
    this.#socket.send(JSON.stringify(frame));
  }

  #cancel(id: number, reason: unknown): void {
    const s = this.#streams.get(id);
    if (!s) return;
    this.#streams.delete(id);
    s.detachAbort();
    this.#send({ op: 'cancel', id });
    // An abort is immediate, like fetch's: queued chunks are dropped.
    if (s.phase === 'headers') s.reject(reason);
    else {
      try {
        s.controller?.error(reason);
      } catch {
        // already closed
      }
    }
  }

  #die(err: TypeError): void {
    if (this.#dead) return;
    this.#dead = err;
    for (const [id, s] of this.#streams) {
      this.#streams.delete(id);
      s.detachAbort();
      failStream(s, err);
    }
  }

  #onMessage(data: unknown): void {
    if (typeof data === 'string') {
      let frame: MuxServerFrame;
      try {
        frame = JSON.parse(data) as MuxServerFrame;
      } catch {
        return; // a garbled control frame cannot be attributed to a stream
      }
      if (frame?.op === 'headers') this.#onHeaders(frame);
      else if (frame?.op === 'end') this.#onEnd(frame);
      return;
    }
    const bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : ArrayBuffer.isView(data)
          ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
          : undefined;
    if (!bytes || bytes.byteLength < MUX_ID_BYTES) return;
    const id = new DataView(bytes.buffer, bytes.byteOffset, MUX_ID_BYTES).getUint32(0, false);
    const s = this.#streams.get(id);
    if (s?.phase !== 'body' || !s.controller) return;
    // A browser hands each message a fresh ArrayBuffer: its bytes after the id are enqueued as they
    // are. A view (Node's ws) may share a pooled buffer the socket reuses, so it is copied.
    s.controller.enqueue(
      data instanceof ArrayBuffer ? bytes.subarray(MUX_ID_BYTES) : bytes.slice(MUX_ID_BYTES),
    );
  }

  #onHeaders(frame: Extract<MuxServerFrame, { op: 'headers' }>): void {
    const s = this.#streams.get(frame.id);
    if (s?.phase !== 'headers') return;
    const id = frame.id;
    const status =
      Number.isInteger(frame.status) && frame.status >= 200 && frame.status <= 599 ? frame.status : 502;
    const body = NULL_BODY.has(status)
      ? null
      : new ReadableStream<Uint8Array>(
          {
            start: (controller) => {
              s.controller = controller;
            },
            pull: (controller) => {
              if (s.pendingError !== undefined) controller.error(s.pendingError);
            },
            cancel: () => {
              // The consumer is done with the body: tell the proxy to stop the upstream.
              if (this.#streams.get(id) !== s) return;
              this.#streams.delete(id);
              s.detachAbort();
              this.#send({ op: 'cancel', id });
            },
          },
          { highWaterMark: 0 },
        );
    s.phase = 'body';
    let response: Response;
    try {
      response = new Response(body, { status, headers: frame.headers ?? {} });
    } catch (err) {
      this.#cancel(id, new TypeError(`watch multiplexer: bad headers frame: ${(err as Error).message}`));
      return;
    }
    if (!body) {
      this.#streams.delete(id);
      s.detachAbort();
    }
    s.resolve(response);
  }

  #onEnd(frame: Extract<MuxServerFrame, { op: 'end' }>): void {
    const s = this.#streams.get(frame.id);
    if (!s) return;
    this.#streams.delete(frame.id);
    s.detachAbort();
    if (s.phase === 'headers') {
      s.reject(new TypeError(`watch multiplexer: ${frame.error ?? 'stream ended before its headers'}`));
      return;
    }
    if (frame.error) failStream(s, new TypeError(`watch multiplexer: ${frame.error}`));
    else {
      try {
        s.controller?.close();
      } catch {
        // already closed or errored
      }
    }
  }
}

/** Wait for p, or reject with the signal's reason as soon as it aborts. */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
