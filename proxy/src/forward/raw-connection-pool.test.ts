import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpstreamTarget } from '../kubeconfig/resolve-context.ts';
import { type BodySink, type PooledResponse, RawConnectionPool } from './raw-connection-pool.ts';
import type { PreparedRequest } from './raw-stream.ts';
import type { UpstreamCall } from './upstream-client.ts';

// The pool against a plain TCP server that answers each request head with exactly what the test
// says: so every framing, every early close and every stray byte can be produced on purpose.

interface Scripted {
  port: number;
  /** Request heads received, in order, with the number of the connection each came on. */
  requests: { connection: number; head: string }[];
  connections: number;
}

let servers: Server[] = [];
let pools: RawConnectionPool[] = [];
afterEach(async () => {
  for (const p of pools) p.destroy();
  pools = [];
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  servers = [];
});

/** `answer(socket, n, connection)` writes the answer to request n (0-based, over all connections). */
async function serve(answer: (socket: Socket, n: number, connection: number) => void): Promise<Scripted> {
  const state: Scripted = { port: 0, requests: [], connections: 0 };
  const s = createServer((socket) => {
    const connection = state.connections++;
    socket.setNoDelay(true);
    socket.on('error', () => {});
    let buffered = '';
    socket.on('data', (b: Buffer) => {
      buffered += b.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        buffered = buffered.slice(end + 4);
        state.requests.push({ connection, head });
        answer(socket, state.requests.length - 1, connection);
      }
    });
  });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const address = s.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  state.port = address.port;
  return state;
}

function target(port: number): UpstreamTarget {
  return {
    origin: new URL(`http://127.0.0.1:${port}`),
    basePath: '',
    insecureSkipTlsVerify: false,
    credentials: { get: async () => ({}), invalidate: () => false },
    impersonation: [],
  };
}

function pool(opts?: ConstructorParameters<typeof RawConnectionPool>[0]): RawConnectionPool {
  const p = new RawConnectionPool(opts);
  pools.push(p);
  return p;
}

function get(
  p: RawConnectionPool,
  t: UpstreamTarget,
  opts: { signal?: AbortSignal; timeoutMs?: number; path?: string } = {},
): Promise<PooledResponse> {
  const prepared: PreparedRequest = {
    name: 'plain',
    target: t,
    creds: {},
    tls: false,
    headers: { authorization: 'Bearer t' },
    where: t.origin.origin,
  };
  // The pool reads only the path, query and signal of the call.
  const call = {
    apiPath: opts.path ?? '/api/v1/pods',
    search: '?limit=500',
    signal: opts.signal ?? new AbortController().signal,
  } as Partial<UpstreamCall> as UpstreamCall;
  return p.request(prepared, call, opts.timeoutMs ?? 10_000);
}

interface Read {
  body: string;
  outcome: 'end' | 'cut';
  reason?: string;
}

/** The body to its end or its cut, every piece copied and released at once. */
function read(res: PooledResponse, sink: Partial<BodySink> = {}): Promise<Read> {
  const pieces: Buffer[] = [];
  return new Promise((resolve) => {
    res.readBody({
      data:
        sink.data ??
        ((parts, release) => {
          for (const p of parts) pieces.push(Buffer.from(p));
          release();
          return true;
        }),
      end: () => resolve({ body: Buffer.concat(pieces).toString('latin1'), outcome: 'end' }),
      cut: (reason) => resolve({ body: Buffer.concat(pieces).toString('latin1'), outcome: 'cut', reason }),
    });
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RawConnectionPool (proxy plain GETs on kept-alive connections)', () => {
  it('carries one request after another on one connection, whatever the body framing', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecond\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nthird\r\n0\r\nx-trailer: 1\r\n\r\n',
      'HTTP/1.1 204 No Content\r\n\r\n',
      'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    ];
    const server = await serve((socket, n) => socket.write(answers[n] as string));
    const p = pool();
    const t = target(server.port);
    const bodies: Read[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < answers.length; i++) {
      const res = await get(p, t);
      statuses.push(res.statusCode);
      bodies.push(await read(res));
    }
    expect(statuses).toEqual([200, 200, 200, 204, 404]);
    // A chunked body reaches the sink framed as it came, without its last-chunk and trailers.
    expect(bodies).toEqual([
      { body: 'first', outcome: 'end' },
      { body: '6\r\nsecond\r\n', outcome: 'end' },
      { body: '5\r\nthird\r\n', outcome: 'end' },
      { body: '', outcome: 'end' },
      { body: '{}', outcome: 'end' },
    ]);
    expect(server.connections).toBe(1);
    expect(server.requests.map((r) => r.connection)).toEqual([0, 0, 0, 0, 0]);
    // A kept-alive request says nothing about the connection (HTTP/1.1 keeps it by default).
    expect(server.requests[0]?.head).toBe(
      'GET /api/v1/pods?limit=500 HTTP/1.1\r\nhost: 127.0.0.1:' + server.port + '\r\nauthorization: Bearer t',
    );
  });

  it('closes a connection that cannot be reused: Connection: close, HTTP/1.0, bytes after the body, two framings, a close-delimited body', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\na',
      'HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nb',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\ncSTRAY',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nd\r\n0\r\n\r\nSTRAY',
      // Both framings: chunked wins, and the connection is not trusted again.
      'HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nf\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\ne',
    ];
    const server = await serve((socket, n) => {
      if (n === answers.length) socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the end');
      else socket.write(answers[n] as string);
    });
    const p = pool();
    const t = target(server.port);
    const bodies: string[] = [];
    for (let i = 0; i < answers.length; i++) bodies.push((await read(await get(p, t))).body);
    // The last connection was kept; a body delimited by the connection's end then closes it.
    const close = await get(p, t);
    expect(close.framing).toBe('close');
    bodies.push((await read(close)).body);
    expect(bodies).toEqual(['a', 'b', 'c', '1\r\nd\r\n', '1\r\nf\r\n', 'e', 'until the end']);
    expect(server.requests.map((r) => r.connection)).toEqual([0, 1, 2, 3, 4, 5, 5]);
    for (let i = 0; i < 50 && p.size > 0; i++) await pause(10);
    expect(p.size).toBe(0);
  });

  it('sends a GET again on a new connection when a reused one closes before answering, and only then', async () => {
    const server = await serve((socket, n) => {
      if (n === 1)
        socket.destroy(); // the server dropped the idle connection as the request came
      else socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr${n}`);
    });
    const p = pool();
    const t = target(server.port);
    expect((await read(await get(p, t))).body).toBe('r0');
    expect((await read(await get(p, t))).body).toBe('r2');
    expect(server.requests.map((r) => r.connection)).toEqual([0, 0, 1]);

    // A new connection that closes before answering is an error, not a loop of retries.
    const refusing = await serve((socket) => socket.destroy());
    await expect(get(p, target(refusing.port))).rejects.toMatchObject({
      code: 502,
      message: expect.stringMatching(/closed the connection before answering/),
    });
    expect(refusing.requests).toHaveLength(1);
  });

  it('never retries a connection that had started to answer', async () => {
    const server = await serve((socket, n) => {
      if (n === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na');
      else socket.end('HTTP/1.1 200 OK\r\nContent-Le'); // half a head, then the end
    });
    const p = pool();
    const t = target(server.port);
    await read(await get(p, t));
    await expect(get(p, t)).rejects.toMatchObject({ code: 502 });
    expect(server.requests).toHaveLength(2);
  });

  it('cuts a body the server ends early, and refuses a bad Content-Length', async () => {
    const server = await serve((socket, n) => {
      if (n === 0) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this');
      else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nab');
    });
    const p = pool();
    const t = target(server.port);
    const cut = await read(await get(p, t));
    expect(cut).toMatchObject({ outcome: 'cut', body: 'only this' });
    expect(cut.reason).toMatch(/closed mid-body/);
    await expect(get(p, t)).rejects.toMatchObject({
      code: 502,
      message: expect.stringMatching(/bad Content-Length/),
    });
  });

  it('stops reading while the sink says so, and goes on when resumed', async () => {
    let second = () => {};
    const server = await serve((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nfirst');
      second = () => socket.write('-second');
    });
    const p = pool();
    const res = await get(p, target(server.port));
    const seen: string[] = [];
    const done = read(res, {
      data: (parts, release) => {
        seen.push(Buffer.concat(parts).toString());
        release();
        return false;
      },
    });
    for (let i = 0; i < 100 && seen.length === 0; i++) await pause(10);
    expect(seen).toEqual(['first']);
    second();
    await pause(100);
    expect(seen).toEqual(['first']);
    res.resume();
    await done;
    expect(seen).toEqual(['first', '-second']);
    expect(server.connections).toBe(1);
  });

  it('aborts and times out: before the answer with an error, during the body with a cut', async () => {
    let write: (text: string) => void = () => {};
    const server = await serve((socket) => {
      write = (text) => socket.write(text);
    });
    const p = pool();
    const t = target(server.port);

    const before = new AbortController();
    const pending = get(p, t, { signal: before.signal });
    for (let i = 0; i < 100 && server.requests.length === 0; i++) await pause(10);
    before.abort();
    await expect(pending).rejects.toMatchObject({ code: 502, message: expect.stringMatching(/aborted/) });

    const during = new AbortController();
    const answered = get(p, t, { signal: during.signal });
    for (let i = 0; i < 100 && server.requests.length < 2; i++) await pause(10);
    write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf');
    const res = await answered;
    const body = read(res);
    during.abort();
    expect(await body).toMatchObject({ outcome: 'cut', reason: expect.stringMatching(/aborted/) });

    await expect(get(p, t, { timeoutMs: 50 })).rejects.toMatchObject({
      code: 504,
      message: expect.stringMatching(/did not answer within 50 ms/),
    });
    // Each abandoned exchange closed its connection: none went back to the pool.
    for (let i = 0; i < 50 && p.size > 0; i++) await pause(10);
    expect(p.size).toBe(0);
  });

  it('keeps at most maxFree idle connections per target, each for at most idleMs', async () => {
    let held: (() => void)[] = [];
    const server = await serve((socket) => {
      held.push(() => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx'));
    });
    const p = pool({ maxFree: 2, idleMs: 100 });
    const t = target(server.port);
    // Three requests at once need three connections; only two are kept when they are done.
    const responses = [get(p, t), get(p, t), get(p, t)];
    for (let i = 0; i < 100 && held.length < 3; i++) await pause(10);
    for (const answer of held) answer();
    held = [];
    await Promise.all((await Promise.all(responses)).map((r) => read(r)));
    for (let i = 0; i < 50 && p.size > 2; i++) await pause(10);
    expect(server.connections).toBe(3);
    expect(p.size).toBe(2);
    for (let i = 0; i < 100 && p.size > 0; i++) await pause(10);
    expect(p.size).toBe(0);
  });
});
