// The WebSocket mux under attack: hostile upgrades (Host, Origin, session in every wrong form) must
// be refused before the handshake, and hostile `open` frames on an accepted socket (traversal,
// SSRF, header injection, oversized and malformed frames) must be refused per stream, with the
// upstreams and the victim server receiving nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WATCH_MUX_PATH } from '../../proxy/contract/watch-mux.ts';
import { printSummary, recordFigures } from './adversarial-summary.ts';
import { type HostileProxy, startHostileProxy } from './hostile-proxy.ts';
import { rawRequest } from './raw-http.ts';

const PART = 'watch-mux-attacks';
let h: HostileProxy;
let tried = 0;
let refused = 0;

beforeAll(async () => {
  h = await startHostileProxy();
});
afterAll(async () => {
  await h?.close();
  recordFigures(PART, { hostileTried: tried, hostileRefused: refused });
  printSummary(PART);
});

const hits = () => h.upstreamHits() + h.victim.connections();

interface UpgradeCase {
  name: string;
  target?: (h: HostileProxy) => string;
  headers: (h: HostileProxy) => string[];
  status: readonly (number | 'closed')[];
}

const ours = (p: HostileProxy) => `http://127.0.0.1:${p.port}`;
const UPGRADES: UpgradeCase[] = [
  { name: 'no session', headers: () => [], status: [401] },
  { name: 'wrong cookie', headers: () => ['Cookie: kubeglass_session=wrong'], status: [401] },
  { name: "previous launch's cookie", headers: (p) => [`Cookie: ${p.oldCookie}`], status: [401] },
  {
    name: "previous launch's bearer",
    headers: (p) => [`Authorization: Bearer ${p.oldSecret}`],
    status: [401],
  },
  {
    name: 'secret only in the query',
    target: (p) => `${WATCH_MUX_PATH}?token=${p.secret}`,
    headers: () => [],
    status: [401],
  },
  { name: 'secret as a subprotocol', headers: (p) => [`Sec-WebSocket-Protocol: ${p.secret}`], status: [401] },
  {
    name: 'evil Host with cookie',
    headers: (p) => [`Host: evil.example:${p.port}`, `Cookie: ${p.cookie}`],
    status: [421],
  },
  {
    name: 'rebinding Host with bearer',
    headers: (p) => [`Host: 127.0.0.1.nip.io:${p.port}`, `Authorization: Bearer ${p.secret}`],
    status: [421],
  },
  {
    name: 'Host on another port',
    headers: (p) => [`Host: 127.0.0.1:${p.port + 1}`, `Cookie: ${p.cookie}`],
    status: [421],
  },
  {
    name: 'Origin evil with cookie',
    headers: (p) => ['Origin: https://evil.example', `Cookie: ${p.cookie}`],
    status: [403],
  },
  { name: 'Origin null with cookie', headers: (p) => ['Origin: null', `Cookie: ${p.cookie}`], status: [403] },
  {
    name: 'Origin suffix trick',
    headers: (p) => [`Origin: ${ours(p)}.evil.example`, `Cookie: ${p.cookie}`],
    status: [403],
  },
  {
    name: 'Origin other port',
    headers: (p) => [`Origin: http://127.0.0.1:${p.port + 1}`, `Cookie: ${p.cookie}`],
    status: [403],
  },
  {
    name: 'Origin other scheme',
    headers: (p) => [`Origin: https://127.0.0.1:${p.port}`, `Cookie: ${p.cookie}`],
    status: [403],
  },
  {
    name: 'traversal to the mux path',
    target: () => '/x/..%2f-/mux',
    headers: (p) => [`Cookie: ${p.cookie}`],
    status: ['closed', 400, 404],
  },
  {
    name: 'upgrade on a cluster path (exec/attach relay)',
    target: () => '/clusters/plain/api/v1/namespaces/default/pods/p/exec?command=sh',
    headers: (p) => [`Cookie: ${p.cookie}`],
    status: [501],
  },
  {
    name: 'absolute-form upgrade to the victim',
    target: (p) => `http://127.0.0.1:${p.victim.port}${WATCH_MUX_PATH}`,
    headers: (p) => [`Cookie: ${p.cookie}`],
    status: ['closed', 400, 404],
  },
];

function upgradeHead(p: HostileProxy, c: UpgradeCase): string {
  const extra = c.headers(p);
  const host = extra.some((l) => /^host:/i.test(l)) ? [] : [`Host: 127.0.0.1:${p.port}`];
  return [
    `GET ${c.target?.(p) ?? WATCH_MUX_PATH} HTTP/1.1`,
    ...host,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    ...extra,
  ].join('\r\n');
}

describe('hostile upgrades of the watch mux', () => {
  it.each(UPGRADES.map((c) => [c.name, c] as const))('%s is refused before the handshake', async (_n, c) => {
    const before = hits();
    const reply = await rawRequest(h.port, upgradeHead(h, c));
    tried++;
    const ok = c.status.includes(reply.status) && hits() === before;
    if (ok) refused++;
    expect({ status: reply.status, upstreamHits: hits() - before }).toEqual({
      status: c.status.includes(reply.status) ? reply.status : c.status[0],
      upstreamHits: 0,
    });
  });

  it('the same handshake with the right cookie and Origin is accepted (the cases above differ only by the attack)', async () => {
    const ok: UpgradeCase = {
      name: 'ok',
      headers: (p) => [`Origin: ${ours(p)}`, `Cookie: ${p.cookie}`],
      status: [101],
    };
    const reply = await rawRequest(h.port, upgradeHead(h, ok));
    expect(reply.status).toBe(101);
  });
});

interface MuxSocket {
  ws: WebSocket;
  statuses: Map<number, number>;
  closed: () => boolean;
}

async function openMux(): Promise<MuxSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}${WATCH_MUX_PATH}`, {
    headers: { cookie: h.cookie, origin: `http://127.0.0.1:${h.port}` },
  });
  const statuses = new Map<number, number>();
  let closed = false;
  ws.on('message', (data: Buffer, binary) => {
    if (binary) return;
    const frame = JSON.parse(data.toString()) as { op: string; id: number; status?: number };
    if (frame.op === 'headers' && frame.status !== undefined) statuses.set(frame.id, frame.status);
  });
  ws.on('close', () => {
    closed = true;
  });
  ws.on('error', () => {
    closed = true;
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_q, res) => reject(new Error(`upgrade refused ${res.statusCode}`)));
  });
  return { ws, statuses, closed: () => closed };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 4_000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const STREAM_PATHS: [string, (p: HostileProxy) => string, readonly number[]][] = [
  ['dot segments', () => '/clusters/plain/api/v1/../../../-/contexts', [400]],
  ['%2e%2e', () => '/clusters/plain/api/%2e%2e/%2e%2e/x?watch=true', [400]],
  ['double-encoded %252e%252e', () => '/clusters/plain/api/%252e%252e/x?watch=true', [400]],
  ['..%2f', () => '/clusters/plain/api/..%2f..%2fx?watch=true', [400]],
  ['backslash', () => '/clusters/plain/api\\..\\x?watch=true', [400]],
  ['%5c', () => '/clusters/plain/api%5c..%5cx', [400]],
  ['double slash', () => '/clusters/plain/api//v1/pods?watch=true', [400]],
  ['overlong UTF-8 dot', () => '/clusters/plain/api/%c0%ae%c0%ae/x', [400]],
  ['CRLF in the path', () => '/clusters/plain/api/v1/pods\r\nImpersonate-User: admin', [400]],
  ['encoded CRLF', () => '/clusters/plain/api/v1/pods%0d%0aImpersonate-User:%20admin', [400]],
  ['fragment', () => '/clusters/plain/api/v1/pods#/../..', [400]],
  ['absolute URL of the victim', (p) => `http://127.0.0.1:${p.victim.port}/api/v1/pods?watch=true`, [404]],
  ['scheme-relative URL of the victim', (p) => `//127.0.0.1:${p.victim.port}/api/v1/pods`, [404]],
  ['context named host:port', (p) => `/clusters/127.0.0.1:${p.victim.port}/api/v1/pods?watch=true`, [404]],
  [
    'context named by an encoded URL',
    (p) => `/clusters/${encodeURIComponent(p.victim.url)}/api/v1/pods`,
    [404],
  ],
  ['userinfo in the context', (p) => `/clusters/plain@127.0.0.1:${p.victim.port}/api/v1/pods`, [404]],
  ['proxy route through the mux', () => '/-/contexts', [404]],
  ['apiserver root outside the allowed roots', () => '/clusters/plain/metrics', [404]],
  ['empty path', () => '', [404]],
];

describe('hostile streams on an accepted mux socket', () => {
  it.each(STREAM_PATHS.map(([n, p, s]) => [n, p, s] as const))(
    '%s is refused with a Status',
    async (_n, path, status) => {
      const mux = await openMux();
      const before = hits();
      mux.ws.send(JSON.stringify({ op: 'open', id: 7, path: path(h) }));
      await until(() => mux.statuses.has(7) || mux.closed(), 'the answer');
      tried++;
      const got = mux.statuses.get(7);
      if (got !== undefined && status.includes(got) && hits() === before) refused++;
      expect({ status: got, upstreamHits: hits() - before }).toEqual({ status: status[0], upstreamHits: 0 });
      mux.ws.close();
    },
  );

  const closing: [string, (ws: WebSocket) => void][] = [
    [
      'an Accept carrying a header injection',
      (ws) =>
        ws.send(
          JSON.stringify({
            op: 'open',
            id: 1,
            path: '/clusters/plain/api/v1/pods?watch=true',
            accept: 'application/json\r\nImpersonate-User: admin',
          }),
        ),
    ],
    [
      'a frame over the size limit',
      (ws) =>
        ws.send(
          JSON.stringify({
            op: 'open',
            id: 1,
            path: `/clusters/plain/api/v1/pods?x=${'a'.repeat(70 * 1024)}`,
          }),
        ),
    ],
    ['a frame that is not JSON', (ws) => ws.send('<script>alert(1)</script>')],
    [
      'a stream id out of range',
      (ws) => ws.send(JSON.stringify({ op: 'open', id: 2 ** 33, path: '/clusters/plain/api/v1/pods' })),
    ],
    [
      'a prototype-pollution frame',
      (ws) => ws.send('{"__proto__":{"op":"open","id":1,"path":"/clusters/plain/api/v1/pods"}}'),
    ],
  ];
  it.each(closing)('%s closes the socket without reaching upstream', async (_n, send) => {
    const mux = await openMux();
    const before = hits();
    send(mux.ws);
    await until(() => mux.closed(), 'the close');
    tried++;
    if (mux.statuses.size === 0 && hits() === before) refused++;
    expect({ answered: mux.statuses.size, upstreamHits: hits() - before }).toEqual({
      answered: 0,
      upstreamHits: 0,
    });
  });

  it('extra fields in an open frame (forged headers) never reach the upstream', async () => {
    const mux = await openMux();
    const before = h.plain.requests.length;
    mux.ws.send(
      JSON.stringify({
        op: 'open',
        id: 3,
        path: '/clusters/plain/api/v1/pods',
        headers: { 'Impersonate-User': 'system:admin', Authorization: 'Bearer attacker' },
        'Impersonate-Group': 'system:masters',
      }),
    );
    await until(() => mux.statuses.has(3), 'the answer');
    tried++;
    const got = h.plain.requests.slice(before);
    const forged = got
      .flatMap((r) => Object.keys(r.headers))
      .filter((k) => /^(impersonate-|authorization)/.test(k));
    if (got.length === 1 && forged.length === 0 && h.victim.connections() === 0) refused++;
    expect({ forwarded: got.length, forged }).toEqual({ forwarded: 1, forged: [] });
    mux.ws.close();
  });

  it('every hostile upgrade and stream was refused', () => {
    expect(tried).toBe(UPGRADES.length + STREAM_PATHS.length + closing.length + 1);
    expect(refused).toBe(tried);
    expect(h.victim.connections()).toBe(0);
  });
});
