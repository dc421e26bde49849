import { Agent, type IncomingMessage, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  type ProxyFixture,
  type RawResponse,
  send,
  startProxyFixture,
  UPSTREAM_TOKEN,
} from '../testing/proxy-fixture.ts';
import { parseResponseHead, requestHead } from './raw-stream.ts';

let f: ProxyFixture;
beforeAll(async () => {
  f = await startProxyFixture();
});
afterAll(async () => {
  await f.close();
});

describe('watch relay', () => {
  it('relays a 4 MiB burst byte for byte and in order, every line one whole event (WS-01)', async () => {
    const chunks: Buffer[] = [];
    const req = request({
      host: '127.0.0.1',
      port: f.proxy.port,
      path: '/clusters/tls/api/v1/pods?watch=true',
      headers: { ...bearer, host: `127.0.0.1:${f.proxy.port}` },
      agent: false,
    });
    req.on('response', (res) => res.on('data', (c: Buffer) => chunks.push(c)));
    req.on('error', () => {});
    req.end();
    const until = async (cond: () => boolean, what: string) => {
      const end = Date.now() + 5000;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const text = () => Buffer.concat(chunks).toString();
    await until(() => text().includes('"first"'), 'the first event');
    const floodBytes = 4 * 1024 * 1024;
    f.tls.flood(floodBytes);
    const lines = () => text().split('\n').slice(0, -1);
    const modified = () => lines().filter((l) => l.includes('"MODIFIED"'));
    const lineBytes = () => (modified()[0]?.length ?? 1) + 1;
    await until(
      () => modified().length > 0 && modified().length >= Math.ceil(floodBytes / lineBytes()),
      'the whole burst',
    );
    req.destroy();
    // Unchanged: every line is one whole event, nothing added, nothing lost, in order.
    expect(text().endsWith('\n')).toBe(true);
    for (const line of lines()) expect(() => JSON.parse(line)).not.toThrow();
    expect(modified()).toHaveLength(Math.ceil(floodBytes / lineBytes()));
  });
});

describe('plain GETs', () => {
  it('share one kept-alive upstream connection, and reach the browser whole, with their Content-Length, on a kept-alive connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const before = f.tls.acceptedConnections();
    const seen: RawResponse[] = [];
    try {
      for (let i = 0; i < 5; i++)
        seen.push(
          await send(f.proxy.port, '/clusters/tls/api/v1/pods?limit=500', { headers: bearer, agent }),
        );
    } finally {
      agent.destroy();
    }
    const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] };
    // The upstream's Content-Length reaches the browser with the body as it came.
    const length = String(JSON.stringify(list).length);
    for (const s of seen) {
      expect(s.status).toBe(200);
      expect(JSON.parse(s.body)).toEqual(list);
      expect(s.headers['content-length']).toBe(length);
    }
    // The browser's connection was kept too: every request after the first reused it.
    expect(seen.map((s) => s.reused)).toEqual([false, true, true, true, true]);
    expect(f.tls.acceptedConnections() - before).toBe(1);
    // Each carried the context's credentials, never the browser's.
    for (const r of f.tls.requests.slice(-5))
      expect(r.headers.authorization).toBe(`Bearer ${UPSTREAM_TOKEN}`);
  });
});

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Open a watch through the proxy; collects its body and how the response ended. */
function openWatch(path: string, agent: Agent | false = false) {
  const state = { status: 0, text: '', ended: false, closed: false, reused: false };
  const req = request({
    host: '127.0.0.1',
    port: f.proxy.port,
    path,
    headers: { ...bearer, host: `127.0.0.1:${f.proxy.port}` },
    agent,
  });
  let response: IncomingMessage | undefined;
  req.on('response', (res) => {
    response = res;
    state.status = res.statusCode ?? 0;
    state.reused = req.reusedSocket;
    res.on('data', (c: Buffer) => {
      state.text += c.toString();
    });
    res.on('end', () => {
      state.ended = true;
    });
    res.on('close', () => {
      state.closed = true;
    });
    res.on('error', () => {});
  });
  req.on('error', () => {});
  req.end();
  return { state, req, response: () => response };
}

describe('raw watch relay (raw-stream.ts, BR-10)', () => {
  it('a watch the server ends is complete for the client, and its connection serves the next request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = f.tls.requests.length;
      const w = openWatch('/clusters/tls/api/v1/pods?watch=true', agent);
      await until(() => w.state.text.includes('"first"'), 'the first event');
      // The raw relay's own connection (Node's pooled client would ask for keep-alive).
      const upstream = f.tls.requests.slice(before);
      expect(upstream.map((q) => [q.url, q.headers.connection, q.headers.authorization])).toEqual([
        ['/api/v1/pods?watch=true', 'close', 'Bearer upstream-token-very-secret'],
      ]);
      f.tls.tick('second');
      await until(() => w.state.text.includes('"second"'), 'the second event');
      f.tls.endWatches();
      await until(() => w.state.ended, 'the end of the watch');
      expect(w.state.text.split('\n').filter(Boolean)).toHaveLength(2);
      // The proxy ended the body with its own last-chunk: the same connection carries a list.
      const list = openWatch('/clusters/tls/api/v1/pods', agent);
      await until(() => list.state.ended, 'the list');
      expect(list.state.status).toBe(200);
      expect(list.state.reused).toBe(true);
      expect(JSON.parse(list.state.text).kind).toBe('PodList');
    } finally {
      agent.destroy();
    }
  });

  it('a watch whose server connection drops mid-body is cut for the client too, never ended cleanly', async () => {
    const w = openWatch('/clusters/tls/api/v1/pods?watch=true');
    await until(() => w.state.text.includes('"first"'), 'the first event');
    f.tls.cutWatches();
    await until(() => w.state.closed, 'the response to close');
    expect(w.state.ended).toBe(false);
    expect(f.logs.join('\n')).toMatch(/context "tls": stream ended early/);
  });

  it('a client that stops reading pauses the upstream, which resumes when it reads again', async () => {
    const w = openWatch('/clusters/tls/api/v1/pods?watch=true');
    await until(() => w.state.text.includes('"first"'), 'the first event');
    w.response()?.pause();
    f.tls.flood(32 * 1024 * 1024);
    await new Promise((r) => setTimeout(r, 300));
    // Socket buffers hold a few MiB at most; the rest waits at the server.
    expect(f.tls.watchBacklog()).toBeGreaterThan(8 * 1024 * 1024);
    w.response()?.resume();
    await until(() => f.tls.watchBacklog() === 0, 'the backlog to drain', 15_000);
    w.req.destroy();
    await until(() => f.tls.openWatches() === 0, 'the upstream watch to close');
  });

  it('re-runs an exec plugin once when a watch is answered 401', async () => {
    const runs = f.execRuns();
    const w = openWatch('/clusters/exec/api/v1/pods?watch=true');
    await until(() => w.state.text.includes('"first"'), 'the first event');
    expect(w.state.status).toBe(200);
    expect(f.execRuns()).toBe(runs + 2);
    w.req.destroy();
  });

  it('a watch answered with an error Status passes it whole and closes that connection', async () => {
    const r = await send(f.proxy.port, '/clusters/tls/api/v1/throttled?watch=true', { headers: bearer });
    expect(r.status).toBe(429);
    expect(JSON.parse(r.body).reason).toBe('TooManyRequests');
    expect(r.headers['retry-after']).toBe('7');
    expect(r.headers.connection).toBe('close');
    expect(r.headers['set-cookie']).toBeUndefined();
  });

  it('builds a request head only from valid headers, and reads response heads strictly', () => {
    const headers = {
      authorization: 'Bearer t',
      'impersonate-group': ['a', 'b'],
      connection: 'keep-alive',
    };
    const head = requestHead('/api/v1/pods?watch=true', '127.0.0.1:6443', headers, { keepAlive: false });
    expect(head).toBe(
      'GET /api/v1/pods?watch=true HTTP/1.1\r\nhost: 127.0.0.1:6443\r\nauthorization: Bearer t\r\nimpersonate-group: a\r\nimpersonate-group: b\r\nconnection: close\r\n\r\n',
    );
    // Kept alive: no Connection header at all (HTTP/1.1's default), the caller's one dropped too.
    expect(requestHead('/api/v1/pods', 'h', headers, { keepAlive: true })).toBe(
      'GET /api/v1/pods HTTP/1.1\r\nhost: h\r\nauthorization: Bearer t\r\nimpersonate-group: a\r\nimpersonate-group: b\r\n\r\n',
    );
    const once = { keepAlive: false };
    expect(() => requestHead('/p', 'h', { 'x-a': 'ok\r\nx-injected: 1' }, once)).toThrow();
    expect(() => requestHead('/p q', 'h', {}, once)).toThrow(/request line/);
    expect(
      parseResponseHead(
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nWarning: a\r\nWarning: b\r\nSet-Cookie: x',
      ),
    ).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', warning: 'a, b', 'set-cookie': ['x'] },
    });
    expect(parseResponseHead('HTTP/1.1 101 Switching')).toBeUndefined();
    expect(parseResponseHead('SSH-2.0-OpenSSH')).toBeUndefined();
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nno colon here')).toBeUndefined();
    // A value the browser's response could not carry makes the whole head malformed.
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nX-A: a\nb')).toBeUndefined();
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nX-A: a\u0000b')).toBeUndefined();
    expect(parseResponseHead('HTTP/1.1 200 OK\r\nX-A: tab\tand é')?.headers['x-a']).toBe('tab\tand é');
  });
});
