import {
  Agent,
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  request,
  type Server,
} from 'node:http';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpstreamTarget } from '../kubeconfig/resolve-context.ts';
import { RawConnectionPool } from './raw-connection-pool.ts';
import type { PreparedRequest } from './raw-stream.ts';
import { relayPooledResponse } from './raw-stream-relay.ts';
import type { UpstreamCall } from './upstream-client.ts';

// relayPooledResponse between a scripted upstream (a TCP server writing exactly the answer a test
// gives) and a real HTTP client, through a small HTTP server that relays as the forward route does.

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

async function listen(server: Server | NetServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** An upstream answering request n with answers[n] (a function may write in steps). */
async function upstream(answers: (string | ((socket: Socket) => void))[]): Promise<number> {
  let n = 0;
  const server = createServer((socket) => {
    socket.on('error', () => {});
    let buffered = '';
    socket.on('data', (b: Buffer) => {
      buffered += b.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        buffered = buffered.slice(end + 4);
        const answer = answers[n++];
        if (typeof answer === 'function') answer(socket);
        else if (answer !== undefined) socket.write(answer);
      }
    });
  });
  return listen(server);
}

/** A relaying server in front of the upstream at `port`; returns its port and the warnings. */
async function relay(port: number): Promise<{ port: number; warnings: string[] }> {
  const pool = new RawConnectionPool();
  closers.push(async () => pool.destroy());
  const target: UpstreamTarget = {
    origin: new URL(`http://127.0.0.1:${port}`),
    basePath: '',
    insecureSkipTlsVerify: false,
    credentials: { get: async () => ({}), invalidate: () => false },
    impersonation: [],
  };
  const warnings: string[] = [];
  const server = createHttpServer((req, res) => {
    const prepared: PreparedRequest = {
      name: 'plain',
      target,
      creds: {},
      tls: false,
      headers: {},
      where: target.origin.origin,
    };
    const call = {
      apiPath: req.url ?? '/',
      search: '',
      signal: new AbortController().signal,
    } as Partial<UpstreamCall> as UpstreamCall;
    pool.request(prepared, call, 10_000).then(
      (upstreamRes) => relayPooledResponse(upstreamRes, req, res, (m) => warnings.push(m)),
      () => res.destroy(),
    );
  });
  return { port: await listen(server), warnings };
}

interface Got {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  reused: boolean;
  outcome: 'end' | 'aborted';
}

function get(port: number, agent: Agent | false = false): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/pods', agent }, (res) => {
      const chunks: Buffer[] = [];
      const done = (outcome: Got['outcome']) =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
          reused: req.reusedSocket,
          outcome,
        });
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done('end'));
      res.on('aborted', () => done('aborted'));
      res.on('error', () => done('aborted'));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('relayPooledResponse (plain GETs relayed from pooled connections)', () => {
  it('relays each framing so the browser reads the same body, and keeps the browser connection', async () => {
    const up = await upstream([
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[1,\r\n2\r\n2]\r\n0\r\n\r\n',
      // Both framings upstream: chunked wins, and its Content-Length must not reach the browser.
      'HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n"ok"\r\n0\r\n\r\n',
    ]);
    const { port, warnings } = await relay(up);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    closers.push(async () => agent.destroy());
    const length = await get(port, agent);
    const chunked = await get(port, agent);
    const both = await get(port, agent);
    expect(length).toMatchObject({ status: 200, body: '{}', outcome: 'end', reused: false });
    expect(length.headers['content-length']).toBe('2');
    expect(chunked).toMatchObject({ body: '[1,2]', outcome: 'end', reused: true });
    expect(chunked.headers['transfer-encoding']).toBe('chunked');
    expect(both).toMatchObject({ body: '"ok"', outcome: 'end', reused: true });
    expect(both.headers['content-length']).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('closes the browser connection after a close-delimited body, and cuts a body the upstream cut', async () => {
    const up = await upstream([
      (s) => s.end('HTTP/1.1 200 OK\r\n\r\nto the end'),
      (s) => {
        s.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart');
        setTimeout(() => s.destroy(), 20);
      },
    ]);
    const { port, warnings } = await relay(up);
    const closeDelimited = await get(port);
    expect(closeDelimited).toMatchObject({ body: 'to the end', outcome: 'end' });
    expect(closeDelimited.headers.connection).toBe('close');
    const cut = await get(port);
    expect(cut.outcome).toBe('aborted');
    expect(cut.body).toBe('part');
    expect(warnings.some((w) => /response cut: the upstream connection closed mid-body/.test(w))).toBe(true);
  });
});
