import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocket, WebSocketServer } from 'ws';
import type { MuxClientFrame } from '../../../proxy/contract/watch-mux.ts';
import type { KubeObject } from '../api/types.ts';
import { FakeClock } from '../clock/fake-clock.ts';
import { ACCEPT_TABLE } from './media-types.ts';
import { RESTClient } from './rest-client.ts';
import { StatusError } from './status-error.ts';
import { createWatchMuxTransport, watchMuxUrl } from './watch-mux-transport.ts';

// A tiny multiplexer server speaking proxy/contract/watch-mux.ts. Each test sets `behave`.
type Behaviour = (sock: ServerSocket, frame: Extract<MuxClientFrame, { op: 'open' }>) => void;
let wss: WebSocketServer;
let url = '';
let connections = 0;
let received: MuxClientFrame[] = [];
let behave: Behaviour = () => {};
const sockets = new Set<ServerSocket>();

const enc = new TextEncoder();
function chunk(id: number, bytes: Uint8Array): Buffer {
  const b = Buffer.alloc(4 + bytes.length);
  b.writeUInt32BE(id, 0);
  Buffer.from(bytes).copy(b, 4);
  return b;
}
const eventLine = (name: string) =>
  `${JSON.stringify({ type: 'ADDED', object: { kind: 'Pod', metadata: { name } } })}\n`;

beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/-/mux`;
  wss.on('connection', (sock) => {
    connections++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as MuxClientFrame;
      received.push(frame);
      if (frame.op === 'open') behave(sock, frame);
    });
  });
});
afterAll(async () => {
  for (const s of sockets) s.terminate();
  await new Promise<void>((r) => wss.close(() => r()));
});
beforeEach(() => {
  connections = 0;
  received = [];
});

function restOver(transport: ReturnType<typeof createWatchMuxTransport>): RESTClient {
  return new RESTClient({
    baseUrl: 'http://127.0.0.1:1/clusters/sim',
    streamFetch: transport,
    qps: -1,
    maxRetries: 0,
  });
}

async function names(w: AsyncIterable<{ type: string; object: unknown }>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of w) out.push((e.object as KubeObject).metadata?.name ?? e.type);
  return out;
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

describe('watch multiplexer transport (BR-09)', () => {
  it('BR-09 / WS-03: a watch over the mux decodes binary frames split inside a UTF-8 character', async () => {
    behave = (sock, f) => {
      sock.send(
        JSON.stringify({
          op: 'headers',
          id: f.id,
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
      );
      const bytes = enc.encode(eventLine('ünï') + eventLine('b'));
      sock.send(chunk(f.id, bytes.slice(0, 60)));
      sock.send(chunk(f.id, bytes.slice(60)));
      sock.send(JSON.stringify({ op: 'end', id: f.id }));
    };
    const transport = createWatchMuxTransport({ url, WebSocket });
    const w = await restOver(transport).watch({
      version: 'v1',
      resource: 'pods',
      listOptions: { resourceVersion: '5' },
    });
    expect(await names(w)).toEqual(['ünï', 'b']);
    expect(received[0]).toEqual({
      op: 'open',
      id: 1,
      path: '/clusters/sim/api/v1/pods?watch=true&resourceVersion=5',
      accept: 'application/json',
    });
    transport.close();
  });

  it('BR-09: concurrent streams share one WebSocket with distinct ids', async () => {
    behave = (sock, f) => {
      sock.send(JSON.stringify({ op: 'headers', id: f.id, status: 200, headers: {} }));
      setTimeout(() => {
        sock.send(chunk(f.id, enc.encode(eventLine(`s${f.id}`))));
        sock.send(JSON.stringify({ op: 'end', id: f.id }));
      }, 5);
    };
    const transport = createWatchMuxTransport({ url, WebSocket });
    const rest = restOver(transport);
    const watches = await Promise.all([0, 1, 2].map(() => rest.watch({ version: 'v1', resource: 'pods' })));
    const got = await Promise.all(watches.map(names));
    expect(got.flat().sort()).toEqual(['s1', 's2', 's3']);
    expect(connections).toBe(1);
    transport.close();
  });

  it('WS-09: stop() sends a cancel frame for the stream', async () => {
    behave = (sock, f) => {
      sock.send(JSON.stringify({ op: 'headers', id: f.id, status: 200, headers: {} }));
      sock.send(chunk(f.id, enc.encode(eventLine('first'))));
    };
    const transport = createWatchMuxTransport({ url, WebSocket });
    const w = await restOver(transport).watch({ version: 'v1', resource: 'pods' });
    const seen: string[] = [];
    for await (const e of w) {
      seen.push((e.object as KubeObject).metadata?.name ?? '');
      w.stop();
    }
    expect(seen).toEqual(['first']);
    await until(() => received.some((f) => f.op === 'cancel'));
    expect(received.find((f) => f.op === 'cancel')).toEqual({ op: 'cancel', id: 1 });
    expect(transport.connection?.openStreams).toBe(0);
    transport.close();
  });

  it('WS-10: a non-2xx headers frame rejects the watch with the Status from the body', async () => {
    behave = (sock, f) => {
      sock.send(
        JSON.stringify({
          op: 'headers',
          id: f.id,
          status: 410,
          headers: { 'content-type': 'application/json' },
        }),
      );
      sock.send(
        chunk(
          f.id,
          enc.encode(
            JSON.stringify({
              kind: 'Status',
              status: 'Failure',
              code: 410,
              reason: 'Expired',
              message: 'too old',
            }),
          ),
        ),
      );
      sock.send(JSON.stringify({ op: 'end', id: f.id }));
    };
    const transport = createWatchMuxTransport({ url, WebSocket });
    const err = await restOver(transport)
      .watch({ version: 'v1', resource: 'pods' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).reason).toBe('Expired');
    transport.close();
  });

  it('WS-06: an end frame with an error, or the socket dying, ends the watch cleanly; the next request reconnects', async () => {
    behave = (sock, f) => {
      sock.send(JSON.stringify({ op: 'headers', id: f.id, status: 200, headers: {} }));
      sock.send(chunk(f.id, enc.encode(eventLine('a'))));
      if (f.path.includes('cut')) sock.send(JSON.stringify({ op: 'end', id: f.id, error: 'stream was cut' }));
      else setTimeout(() => sock.terminate(), 10);
    };
    const transport = createWatchMuxTransport({ url, WebSocket });
    const rest = restOver(transport);
    expect(await names(await rest.watch({ version: 'v1', resource: 'pods', namespace: 'cut' }))).toEqual([
      'a',
    ]);
    expect(await names(await rest.watch({ version: 'v1', resource: 'pods', namespace: 'die' }))).toEqual([
      'a',
    ]);
    await until(() => transport.connection?.closed === true);
    expect(await names(await rest.watch({ version: 'v1', resource: 'pods', namespace: 'cut' }))).toEqual([
      'a',
    ]);
    expect(connections).toBe(2);
    transport.close();
  });

  it('an end before headers and a refused connection reject with TypeError', async () => {
    behave = (sock, f) => sock.send(JSON.stringify({ op: 'end', id: f.id, error: 'too many open streams' }));
    const transport = createWatchMuxTransport({ url, WebSocket });
    await expect(transport('/clusters/sim/api/v1/pods?watch=true', {})).rejects.toThrow(
      /too many open streams/,
    );
    await expect(transport('/x', { method: 'POST' })).rejects.toBeInstanceOf(TypeError);
    transport.close();
    const dead = createWatchMuxTransport({ url: 'ws://127.0.0.1:1/-/mux', WebSocket });
    await expect(dead('/clusters/sim/api/v1/pods?watch=true', {})).rejects.toBeInstanceOf(TypeError);
    // Through the RESTClient, a transport that cannot connect gives an empty, closed watch (WS-10).
    const w = await restOver(dead).watch({ version: 'v1', resource: 'pods' });
    expect(await names(w)).toEqual([]);
  });

  it('an abort before headers cancels the stream and rejects with the abort reason', async () => {
    behave = () => {};
    const transport = createWatchMuxTransport({ url, WebSocket });
    const ac = new AbortController();
    const p = transport('/clusters/sim/api/v1/pods?watch=true', { signal: ac.signal });
    await until(() => received.some((f) => f.op === 'open'));
    ac.abort(new DOMException('bye', 'AbortError'));
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await until(() => received.some((f) => f.op === 'cancel'));
    transport.close();
  });

  it('RC-08: a Table watch carries its Accept header in the open frame', async () => {
    behave = (sock, f) => {
      sock.send(
        JSON.stringify({
          op: 'headers',
          id: f.id,
          status: 200,
          headers: { 'content-type': 'application/json' },
        }),
      );
      sock.send(JSON.stringify({ op: 'end', id: f.id }));
    };
    const transport = createWatchMuxTransport({ url, WebSocket });
    const w = await restOver(transport).watch({ version: 'v1', resource: 'pods', accept: ACCEPT_TABLE });
    expect(await names(w)).toEqual([]);
    const open = received.find((f) => f.op === 'open');
    expect(open).toMatchObject({ op: 'open', accept: ACCEPT_TABLE });
    transport.close();
  });

  it('watchMuxUrl maps the page origin to the mux endpoint', () => {
    expect(watchMuxUrl('http://127.0.0.1:8001/clusters/x?y')).toBe('ws://127.0.0.1:8001/-/mux');
    expect(watchMuxUrl('https://kg.local/')).toBe('wss://kg.local/-/mux');
    expect(() => watchMuxUrl('file:///tmp/x')).toThrow(TypeError);
  });

  it('a socket that never opens fails waiting streams with TypeError after the connect timeout', async () => {
    // A WebSocket stand-in that never fires 'open'.
    class SilentSocket {
      binaryType = '';
      readyState = 0;
      send() {}
      close() {}
      addEventListener() {}
    }
    const clock = new FakeClock();
    const transport = createWatchMuxTransport({
      url: 'ws://127.0.0.1:1/-/mux',
      WebSocket: SilentSocket,
      clock,
      connectTimeoutMs: 5000,
    });
    const p = transport('/clusters/sim/api/v1/pods?watch=true', {});
    const ac = new AbortController();
    const aborted = transport('/clusters/sim/api/v1/pods?watch=true', { signal: ac.signal });
    ac.abort(new DOMException('bye', 'AbortError'));
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    clock.step(5000);
    await expect(p).rejects.toThrow(/after 5000 ms/);
    expect(transport.connection?.closed).toBe(true);
  });
});
