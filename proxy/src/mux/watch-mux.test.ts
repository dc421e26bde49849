import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MUX_ID_BYTES, type MuxServerFrame, WATCH_MUX_PATH } from '../../contract/watch-mux.ts';
import { bearer, type ProxyFixture, startProxyFixture } from '../testing/proxy-fixture.ts';

let f: ProxyFixture;
beforeAll(async () => {
  f = await startProxyFixture({ muxHighWaterBytes: 64 * 1024 });
});
afterAll(async () => {
  await f.close();
});

interface MuxClient {
  ws: WebSocket;
  frames: MuxServerFrame[];
  bodies: Map<number, string>;
  send(frame: unknown): void;
  until(cond: () => boolean, what: string): Promise<void>;
}

async function connect(headers: Record<string, string> = bearer): Promise<MuxClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${f.proxy.port}${WATCH_MUX_PATH}`, { headers });
  const frames: MuxServerFrame[] = [];
  const bodies = new Map<number, string>();
  ws.on('message', (data: Buffer, isBinary) => {
    if (isBinary) {
      const id = data.readUInt32BE(0);
      bodies.set(id, (bodies.get(id) ?? '') + data.subarray(MUX_ID_BYTES).toString());
    } else {
      frames.push(JSON.parse(data.toString()) as MuxServerFrame);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    bodies,
    send: (frame) => ws.send(JSON.stringify(frame)),
    until: async (cond, what) => {
      const end = Date.now() + 5000;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

describe('watch mux upgrade', () => {
  it('requires the session, our Host and our Origin', async () => {
    await expect(connect({})).rejects.toThrow(/401/);
    await expect(connect({ ...bearer, origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect({ ...bearer, host: 'evil.example' })).rejects.toThrow(/421/);
    const ok = await connect({ ...bearer, origin: `http://127.0.0.1:${f.proxy.port}` });
    ok.ws.close();
  });
});

describe('watch mux streams', () => {
  it('relays headers and body chunks per id; cancel closes the upstream at once', async () => {
    const c = await connect();
    c.send({ op: 'open', id: 7, path: '/clusters/tls/api/v1/pods?watch=true' });
    await c.until(() => (c.bodies.get(7) ?? '').includes('"first"'), 'first event');
    expect(c.frames[0]).toMatchObject({
      op: 'headers',
      id: 7,
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
    f.tls.tick('second');
    await c.until(() => (c.bodies.get(7) ?? '').includes('"second"'), 'second event');
    expect(f.tls.openWatches()).toBe(1);
    c.send({ op: 'cancel', id: 7 });
    await c.until(() => f.tls.openWatches() === 0, 'upstream watch closed');
    f.tls.tick('after-cancel');
    await new Promise((r) => setTimeout(r, 100));
    expect(c.bodies.get(7)).not.toContain('after-cancel');
    expect(c.frames.filter((fr) => fr.id === 7 && fr.op === 'end')).toEqual([]);
    c.ws.close();
  });

  it("forwards the open frame's Accept (Table watches) and defaults to plain JSON", async () => {
    const c = await connect();
    const table = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';
    const before = f.tls.requests.length;
    c.send({
      op: 'open',
      id: 21,
      path: '/clusters/tls/api/v1/pods?watch=true&accept-test=table',
      accept: table,
    });
    c.send({ op: 'open', id: 22, path: '/clusters/tls/api/v1/pods?watch=true&accept-test=plain' });
    await c.until(() => f.tls.requests.length >= before + 2, 'two upstream requests');
    const seen = (tag: string) =>
      f.tls.requests.find((r) => r.url.includes(`accept-test=${tag}`))?.headers.accept;
    expect(seen('table')).toBe(table);
    expect(seen('plain')).toBe('application/json');
    c.ws.close();
  });

  it('refuses an Accept carrying control characters (no header injection upstream)', async () => {
    const c = await connect();
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    c.send({
      op: 'open',
      id: 23,
      path: '/clusters/tls/api/v1/pods?watch=true',
      accept: 'application/json\r\nX-Evil: 1',
    });
    expect(await closed).toBe(1008);
  });

  it('reads a watch raw on its own connection, sends the data without its framing, and tells a clean end from a cut', async () => {
    const c = await connect();
    const before = f.tls.requests.length;
    c.send({ op: 'open', id: 21, path: '/clusters/tls/api/v1/pods?watch=true' });
    await c.until(() => (c.bodies.get(21) ?? '').includes('"first"'), 'first event');
    // The raw stream's own connection: Node's pooled client would ask for keep-alive.
    expect(f.tls.requests.slice(before).map((q) => [q.url, q.headers.connection])).toEqual([
      ['/api/v1/pods?watch=true', 'close'],
    ]);
    f.tls.tick('second');
    await c.until(() => (c.bodies.get(21) ?? '').includes('"second"'), 'second event');
    // The data alone: every line is one whole watch event (a chunk-size line would not parse).
    const lines = (c.bodies.get(21) ?? '').split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => (JSON.parse(l) as { type: string }).type)).toHaveLength(2);
    f.tls.endWatches();
    await c.until(() => c.frames.some((fr) => fr.op === 'end' && fr.id === 21), 'the end frame');
    expect(c.frames.find((fr) => fr.op === 'end' && fr.id === 21)).toEqual({ op: 'end', id: 21 });

    c.send({ op: 'open', id: 22, path: '/clusters/tls/api/v1/pods?watch=true' });
    await c.until(() => (c.bodies.get(22) ?? '').includes('"first"'), 'first event of the second watch');
    f.tls.cutWatches();
    await c.until(() => c.frames.some((fr) => fr.op === 'end' && fr.id === 22), 'the end frame of the cut');
    expect(c.frames.find((fr) => fr.op === 'end' && fr.id === 22)).toMatchObject({
      error: expect.stringMatching(/stream of context "tls" was cut/),
    });
    c.ws.close();
  });

  it('closing the socket aborts every upstream of that socket', async () => {
    const c = await connect();
    for (const id of [1, 2, 3]) c.send({ op: 'open', id, path: '/clusters/tls/api/v1/pods?watch=true' });
    await c.until(() => f.tls.openWatches() === 3, 'three upstream watches');
    c.ws.close();
    await c.until(() => f.tls.openWatches() === 0, 'upstream watches closed');
  });

  it('ends a finished request with an end frame, and answers bad paths and dead contexts with a Status', async () => {
    const c = await connect();
    c.send({ op: 'open', id: 1, path: '/clusters/tls/api/v1/pods' });
    c.send({ op: 'open', id: 2, path: '/clusters/tls/api/%2e%2e/x' });
    c.send({ op: 'open', id: 3, path: '/clusters/dead/api/v1/pods?watch=true' });
    await c.until(() => c.frames.filter((fr) => fr.op === 'end').length === 3, 'three ends');
    expect(JSON.parse(c.bodies.get(1) ?? '')).toMatchObject({ kind: 'PodList' });
    expect(c.frames.find((fr) => fr.id === 2 && fr.op === 'headers')).toMatchObject({ status: 400 });
    expect(JSON.parse(c.bodies.get(2) ?? '')).toMatchObject({ kind: 'Status', code: 400 });
    expect(JSON.parse(c.bodies.get(3) ?? '')).toMatchObject({ kind: 'Status', code: 502 });
    expect(c.bodies.get(3)).toMatch(/context \\"dead\\"/);
    c.ws.close();
  });

  it('closes the socket on a malformed frame', async () => {
    const c = await connect();
    const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)));
    c.ws.send('{not json');
    expect(await closed).toBe(1008);
  });

  it('relays a burst byte for byte, one frame per turn rather than per TLS record', async () => {
    const c = await connect();
    const frameSizes: number[] = [];
    c.ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary && data.readUInt32BE(0) === 11) frameSizes.push(data.length - MUX_ID_BYTES);
    });
    c.send({ op: 'open', id: 11, path: '/clusters/tls/api/v1/pods?watch=true' });
    await c.until(() => (c.bodies.get(11) ?? '').includes('"first"'), 'first event');
    const floodBytes = 4 * 1024 * 1024;
    f.tls.flood(floodBytes);
    const modified = () =>
      (c.bodies.get(11) ?? '')
        .split('\n')
        .slice(0, -1)
        .filter((l) => l.includes('"MODIFIED"'));
    const lineBytes = () => (modified()[0]?.length ?? 1) + 1;
    await c.until(
      () => modified().length > 0 && modified().length >= Math.ceil(floodBytes / lineBytes()),
      'the whole burst',
    );
    expect(modified()).toHaveLength(Math.ceil(floodBytes / lineBytes()));
    for (const line of (c.bodies.get(11) ?? '').trimEnd().split('\n'))
      expect(() => JSON.parse(line)).not.toThrow();
    // One TLS record carries at most 16 KiB: a bigger frame means the turn's pieces were joined.
    expect(Math.max(...frameSizes)).toBeGreaterThan(16 * 1024);
    c.send({ op: 'cancel', id: 11 });
    c.ws.close();
  });

  it('pauses the upstream while the browser does not read (backpressure)', async () => {
    const c = await connect();
    c.send({ op: 'open', id: 9, path: '/clusters/tls/api/v1/pods?watch=true' });
    await c.until(() => (c.bodies.get(9) ?? '').includes('"first"'), 'first event');
    // Stop reading on the client: the proxy's send buffer fills, so it must stop reading upstream.
    const raw = (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    f.tls.flood(16 * 1024 * 1024);
    await new Promise((r) => setTimeout(r, 500));
    expect(f.tls.watchBacklog()).toBeGreaterThan(4 * 1024 * 1024);
    raw.resume();
    await c.until(() => f.tls.watchBacklog() === 0, 'backlog drained after the client reads again');
    c.ws.terminate();
    await c.until(() => f.tls.openWatches() === 0, 'upstream closed');
  });
});
