// Test-only: a tiny apiserver stand-in that records what it received and counts its open
// connections, so tests can assert on what the proxy forwarded and on leaked upstream sockets.
//   GET  /api/v1/pods            → a PodList (401 unless the Authorization header is accepted)
//   GET  /api/v1/pods?watch=true → one event now, then one per `tick` call, never ends by itself
//   GET  /api/v1/slow            → headers never come (for timeouts)
//   GET  /api/v1/throttled       → 429 Status with Retry-After and Warning
//   POST anything                → echoes the body size
import {
  createServer as createHttp,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TestPki } from './test-pki.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  clientCertCn?: string;
}

export interface FakeApiserver {
  url: string;
  requests: RecordedRequest[];
  openConnections(): number;
  /** Connections accepted since the start (kept-alive ones count once). */
  acceptedConnections(): number;
  /** Watches whose response is still open on the server side. */
  openWatches(): number;
  /** Bytes written to watches that the reader (the proxy) has not taken yet. */
  watchBacklog(): number;
  /** Push `bytes` of filler events to every open watch. */
  flood(bytes: number): void;
  /** Push one more watch event to every open watch. */
  tick(name: string): void;
  /** End every open watch cleanly (the last chunk is sent, as on a server-side watch timeout). */
  endWatches(): void;
  /** Cut every open watch's connection mid-body (no last chunk: a dropped server). */
  cutWatches(): void;
  /** Authorization values that are accepted; empty means everything is. */
  acceptedAuth: Set<string>;
  close(): Promise<void>;
}

export async function startFakeApiserver(
  opts: { pki?: TestPki; requireClientCert?: boolean } = {},
): Promise<FakeApiserver> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const watches = new Set<ServerResponse>();
  const acceptedAuth = new Set<string>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const tlsSocket = req.socket as Socket & { getPeerCertificate?: () => { subject?: { CN?: string } } };
    const cn = tlsSocket.getPeerCertificate?.()?.subject?.CN;
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      ...(cn ? { clientCertCn: cn } : {}),
    });
    const url = new URL(req.url ?? '/', 'http://x');
    // With a Content-Length, as an apiserver (Go) sends its small bodies.
    const json = (code: number, body: unknown, extra: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      res.writeHead(code, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(text)),
        ...extra,
      });
      res.end(text);
    };
    if (acceptedAuth.size > 0 && !acceptedAuth.has(req.headers.authorization ?? '') && !cn) {
      json(
        401,
        { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 },
        {
          'www-authenticate': 'Basic realm="kube"',
        },
      );
      return;
    }
    if (req.method === 'POST') {
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
      });
      req.on('end', () => json(201, { received: size }));
      return;
    }
    if (url.pathname.endsWith('/slow')) return; // never answers
    if (url.pathname.endsWith('/throttled')) {
      json(
        429,
        { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'TooManyRequests', code: 429 },
        {
          'retry-after': '7',
          warning: '299 - "slow down"',
          'set-cookie': 'upstream=1',
          'access-control-allow-origin': '*',
        },
      );
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'first' } } })}\n`);
      watches.add(res);
      res.on('close', () => watches.delete(res));
      return;
    }
    json(200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] });
  };
  const server: Server = opts.pki
    ? createHttps(
        {
          cert: opts.pki.server.certPem,
          key: opts.pki.server.keyPem,
          ca: opts.pki.caPem,
          requestCert: true,
          rejectUnauthorized: opts.requireClientCert ?? false,
        },
        handler,
      )
    : createHttp(handler);
  server.on(opts.pki ? 'secureConnection' : 'connection', (s: Socket) => {
    sockets.add(s);
    accepted++;
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.pki ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    acceptedAuth,
    openConnections: () => sockets.size,
    acceptedConnections: () => accepted,
    openWatches: () => watches.size,
    watchBacklog: () => [...watches].reduce((n, w) => n + w.writableLength, 0),
    flood: (bytes) => {
      const line = `${JSON.stringify({ type: 'MODIFIED', object: { metadata: { name: 'x'.repeat(60_000) } } })}\n`;
      for (const w of watches) for (let sent = 0; sent < bytes; sent += line.length) w.write(line);
    },
    tick: (name) => {
      for (const w of watches)
        w.write(`${JSON.stringify({ type: 'MODIFIED', object: { metadata: { name } } })}\n`);
    },
    endWatches: () => {
      for (const w of watches) w.end();
    },
    cutWatches: () => {
      for (const w of watches) w.socket?.destroy();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
