// The watch multiplexer (contract: proxy/contract/watch-mux.ts). One WebSocket per tab carries
// all of its long-lived streams, so live views never hold the browser's six HTTP/1.1 connections
// per origin (BR-09 option 2). Each `open` runs through the same path policing and upstream
// client as the HTTP route; bytes are relayed unchanged in binary frames tagged with the id. What
// one stream's upstream delivers during one event-loop turn goes out as one frame (TurnBatch:
// gathered within the turn, never held past it), so a watch replay costs one frame, one copy and
// one socket write per turn instead of per TLS record.
//
// Invariants: `streams` holds exactly the ids whose upstream is open or being opened; once an id
// leaves it (cancel, end, socket close) no further frame for it is sent. Backpressure: when the
// socket's send buffer passes HIGH_WATER every upstream of this connection is paused, and all
// are resumed once it drains below LOW_WATER, so a slow tab slows its watches instead of growing
// the proxy's memory.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import {
  MUX_ID_BYTES,
  MUX_MAX_ACCEPT_LENGTH,
  MUX_MAX_ID,
  type MuxClientFrame,
  type MuxServerFrame,
} from '../../contract/watch-mux.ts';
import { isStreamingRequest, parseClusterPath } from '../forward/api-path.ts';
import { ChunkedFraming } from '../forward/chunked-framing.ts';
import { clientResponseHeaders } from '../forward/forward-headers.ts';
import type { RawStream } from '../forward/raw-stream.ts';
import { SlabArena } from '../forward/slab-arena.ts';
import { statusBody } from '../forward/status-body.ts';
import { type UpstreamClient, UpstreamError } from '../forward/upstream-client.ts';
import type { ContextRegistry } from '../kubeconfig/context-registry.ts';
import type { Logger } from '../log/redacting-logger.ts';
import { TurnBatch } from './turn-batch.ts';

export interface WatchMuxDeps {
  registry: ContextRegistry;
  upstream: UpstreamClient;
  logger: Logger;
  /** Pause upstreams above this many buffered bytes; resume below a quarter of it. */
  highWaterBytes?: number;
  /** A tab opening more streams than this at once is misbehaving. */
  maxStreams?: number;
}

const DEFAULT_HIGH_WATER = 1024 * 1024;
const DEFAULT_MAX_STREAMS = 256;
/** Frames are built in slabs of this size (a larger frame gets memory of its own). */
const FRAME_SLAB_BYTES = 1024 * 1024;
/** Spare frame slabs kept per connection: about the high-water mark's worth is ever in flight. */
const FRAME_SPARE_SLABS = 2;

interface Stream {
  abort: AbortController;
  /** The upstream body: Node's response, or the raw stream's socket. */
  body?: IncomingMessage | Socket;
  /** Set together with body; flushed before the stream's end frame, closed when it is dropped. */
  batch?: TurnBatch;
}

function parseFrame(data: string): MuxClientFrame | string {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return 'frame is not JSON';
  }
  if (typeof raw !== 'object' || raw === null) return 'frame is not an object';
  const f = raw as Record<string, unknown>;
  const id = f.id;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > MUX_MAX_ID) return 'bad stream id';
  if (f.op === 'open' && typeof f.path === 'string') {
    if (f.accept === undefined) return { op: 'open', id, path: f.path };
    // Only a media-type list may travel upstream: no control characters, bounded length.
    if (
      typeof f.accept !== 'string' ||
      f.accept.length > MUX_MAX_ACCEPT_LENGTH ||
      !/^[\x20-\x7e]*$/.test(f.accept)
    )
      return 'bad accept';
    return { op: 'open', id, path: f.path, accept: f.accept };
  }
  if (f.op === 'cancel') return { op: 'cancel', id };
  return 'unknown frame';
}

function flattenHeaders(h: ReturnType<typeof clientResponseHeaders>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || k === 'content-length') continue;
    out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

export function serveMuxConnection(ws: WebSocket, deps: WatchMuxDeps): void {
  const highWater = deps.highWaterBytes ?? DEFAULT_HIGH_WATER;
  const lowWater = Math.floor(highWater / 4);
  const maxStreams = deps.maxStreams ?? DEFAULT_MAX_STREAMS;
  const streams = new Map<number, Stream>();
  let paused = false;
  // Frames are built synchronously, one at a time: one arena serves every stream of the tab.
  const frames = new SlabArena(FRAME_SLAB_BYTES, FRAME_SPARE_SLABS);

  const sendJson = (frame: MuxServerFrame): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const maybeResume = (): void => {
    if (!paused || ws.bufferedAmount > lowWater) return;
    paused = false;
    for (const s of streams.values()) s.body?.resume();
  };
  /**
   * One binary frame: the id, then the pieces in order (copied once, into the frame). The frame
   * is a view of the arena, given back when ws has written it (ws sends a server's binary payload
   * as given, uncompressed and unmasked).
   */
  const sendChunk = (id: number, pieces: readonly Buffer[], bytes: number): void => {
    if (ws.readyState !== ws.OPEN) return;
    const size = MUX_ID_BYTES + bytes;
    frames.next(size);
    const { bytes: frame, release } = frames.commit(size);
    frame.writeUInt32BE(id, 0);
    let at = MUX_ID_BYTES;
    for (const piece of pieces) at += piece.copy(frame, at);
    ws.send(frame, { binary: true }, () => {
      release();
      maybeResume();
    });
    if (ws.bufferedAmount > highWater && !paused) {
      paused = true;
      for (const s of streams.values()) s.body?.pause();
    }
  };
  const finish = (id: number, error?: string): void => {
    const stream = streams.get(id);
    if (!stream) return;
    // Bytes that arrived before the end (or the cut) go out before the end frame, while the id
    // is still in `streams` (the batch sends only for a live id).
    stream.batch?.flush();
    stream.batch?.close();
    streams.delete(id);
    sendJson(error === undefined ? { op: 'end', id } : { op: 'end', id, error });
  };
  /** Answer a stream that never reached upstream with a Status, exactly like the HTTP route. */
  const failWithStatus = (id: number, code: number, message: string): void => {
    if (!streams.has(id)) return;
    sendJson({ op: 'headers', id, status: code, headers: { 'content-type': 'application/json' } });
    const body = Buffer.from(JSON.stringify(statusBody(code, message)));
    sendChunk(id, [body], body.length);
    finish(id);
  };

  const open = async (id: number, rawPath: string, accept = 'application/json'): Promise<void> => {
    const parsed = parseClusterPath(rawPath);
    if (!parsed.ok) {
      failWithStatus(id, parsed.status, parsed.message);
      return;
    }
    const context = deps.registry.get(parsed.path.context);
    if (!context) {
      failWithStatus(id, 404, `context "${parsed.path.context}" is not in the kubeconfig`);
      return;
    }
    const stream = streams.get(id);
    if (!stream) return;
    const call = {
      context,
      method: 'GET',
      apiPath: parsed.path.apiPath,
      search: parsed.path.search,
      headers: { accept },
      streaming: isStreamingRequest(parsed.path),
      signal: stream.abort.signal,
    };
    let upstream: IncomingMessage | RawStream;
    try {
      // Watches and log follows read raw into slabs (raw-stream.ts); the rest through Node's client.
      upstream = (await deps.upstream.openRawStream(call)) ?? (await deps.upstream.open(call));
    } catch (err) {
      if (stream.abort.signal.aborted) return;
      const code = err instanceof UpstreamError ? err.code : 502;
      const message = err instanceof Error ? err.message : String(err);
      deps.logger.warn(`mux: ${message}`);
      failWithStatus(id, code, message);
      return;
    }
    if (streams.get(id) !== stream) {
      if ('readBody' in upstream) upstream.socket.destroy();
      else upstream.destroy();
      return;
    }
    const batch = new TurnBatch((pieces, bytes) => {
      if (streams.get(id) === stream) sendChunk(id, pieces, bytes);
    });
    stream.batch = batch;
    sendJson({
      op: 'headers',
      id,
      status: upstream.statusCode ?? 502,
      headers: flattenHeaders(clientResponseHeaders(upstream.headers)),
    });
    const cut = `stream of context "${context.info.name}" was cut`;
    if (!('readBody' in upstream)) {
      const body = upstream;
      stream.body = body;
      if (paused) body.pause();
      body.on('data', (chunk: Buffer) => {
        if (streams.get(id) === stream) batch.add(chunk);
      });
      body.on('end', () => finish(id));
      body.on('close', () => finish(id, cut));
      return;
    }
    relayRaw(id, stream, upstream, batch, context.info.name);
  };

  /**
   * A raw upstream: a chunked body's data (its framing dropped) or a plain body's bytes go into the
   * stream's batch as views of the read slabs, given back once the frame holding them was built.
   */
  const relayRaw = (
    id: number,
    stream: Stream,
    raw: RawStream,
    batch: TurnBatch,
    contextName: string,
  ): void => {
    const { socket } = raw;
    const cut = `stream of context "${contextName}" was cut`;
    stream.body = socket;
    const chunked = /(^|,)\s*chunked\s*$/i.test(String(raw.headers['transfer-encoding'] ?? ''));
    const framing = chunked ? new ChunkedFraming('payload') : undefined;
    let complete = false;
    socket.once('end', () => {
      // A plain body ends with the connection; a chunked one must have had its last-chunk.
      if (!framing) complete = true;
    });
    socket.once('close', () => finish(id, complete ? undefined : cut));
    raw.readBody((bytes, release) => {
      if (complete || streams.get(id) !== stream) {
        release();
        return false;
      }
      if (!framing) {
        batch.add(bytes);
        batch.hold(release);
        return true;
      }
      const r = framing.push(bytes);
      for (const piece of r.forward) batch.add(piece);
      batch.hold(release);
      if (r.error) {
        deps.logger.warn(`mux: context "${contextName}": upstream stream is malformed: ${r.error}`);
        socket.destroy();
        return false;
      }
      if (r.done) {
        complete = true;
        socket.destroy();
        return false;
      }
      return true;
    });
    // readBody resumed the socket; a tab whose connection is full keeps it paused.
    if (paused && !socket.destroyed) socket.pause();
  };

  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.close(1003, 'binary frames are not accepted from the client');
      return;
    }
    const frame = parseFrame(data.toString());
    if (typeof frame === 'string') {
      ws.close(1008, frame);
      return;
    }
    if (frame.op === 'cancel') {
      const s = streams.get(frame.id);
      if (!s) return;
      streams.delete(frame.id);
      s.batch?.close();
      s.abort.abort();
      s.body?.destroy();
      return;
    }
    if (streams.has(frame.id)) {
      ws.close(1008, `stream id ${frame.id} is already open`);
      return;
    }
    if (streams.size >= maxStreams) {
      sendJson({ op: 'end', id: frame.id, error: `too many open streams (limit ${maxStreams})` });
      return;
    }
    streams.set(frame.id, { abort: new AbortController() });
    void open(frame.id, frame.path, frame.accept);
  });

  ws.on('close', () => {
    for (const s of streams.values()) {
      s.batch?.close();
      s.abort.abort();
      s.body?.destroy();
    }
    streams.clear();
  });
  ws.on('error', () => ws.terminate());
}
