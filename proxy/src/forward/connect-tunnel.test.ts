// KC-07 proxy-url: forwards reach the cluster through an HTTP proxy's CONNECT tunnel, with TLS to
// the apiserver end to end; an unsupported scheme or a refusing proxy is a clear error on that
// context only.
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextRegistry } from '../kubeconfig/context-registry.ts';
import { silentLogger } from '../log/redacting-logger.ts';
import { type ProxyServer, startProxyServer } from '../server.ts';
import { type FakeApiserver, startFakeApiserver } from '../testing/fake-apiserver.ts';
import { bearer, SECRET, send } from '../testing/proxy-fixture.ts';
import { makeTempDir, type TempDir } from '../testing/temp-dir.ts';
import { createTestPki } from '../testing/test-pki.ts';

interface Tunnel {
  authority: string;
  proxyAuthorization: string | undefined;
}

/** A minimal HTTP CONNECT proxy that records each tunnel; `refuse` answers 403 instead. */
async function startConnectProxy(
  refuse = false,
): Promise<{ server: Server; port: number; tunnels: Tunnel[] }> {
  const tunnels: Tunnel[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    tunnels.push({ authority: req.url ?? '', proxyAuthorization: req.headers['proxy-authorization'] });
    if (refuse) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host ?? '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    const closeBoth = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', closeBoth);
    client.on('error', closeBoth);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const close = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  }) as typeof server.close;
  return { server, port: (server.address() as { port: number }).port, tunnels };
}

let tmp: TempDir;
let upstream: FakeApiserver;
let tunnelProxy: Awaited<ReturnType<typeof startConnectProxy>>;
let refusingProxy: Awaited<ReturnType<typeof startConnectProxy>>;
let registry: ContextRegistry;
let proxy: ProxyServer;

beforeAll(async () => {
  const pki = createTestPki();
  tmp = makeTempDir();
  upstream = await startFakeApiserver({ pki });
  upstream.acceptedAuth.add('Bearer cluster-token');
  tunnelProxy = await startConnectProxy();
  refusingProxy = await startConnectProxy(true);
  tmp.write('pki/ca.crt', pki.caPem);
  const kubeconfig = tmp.write(
    'kube/config',
    `current-context: tunnelled
clusters:
- { name: tunnelled, cluster: { server: "${upstream.url}", certificate-authority: ../pki/ca.crt, proxy-url: "http://kg:s3cret@127.0.0.1:${tunnelProxy.port}" } }
- { name: refused, cluster: { server: "${upstream.url}", certificate-authority: ../pki/ca.crt, proxy-url: "http://127.0.0.1:${refusingProxy.port}" } }
- { name: socks, cluster: { server: "${upstream.url}", proxy-url: "socks5://127.0.0.1:1080" } }
users:
- { name: token, user: { token: cluster-token } }
contexts:
- { name: tunnelled, context: { cluster: tunnelled, user: token } }
- { name: refused, context: { cluster: refused, user: token } }
- { name: socks, context: { cluster: socks, user: token } }
`,
  );
  registry = new ContextRegistry({ files: [kubeconfig], logger: silentLogger });
  proxy = await startProxyServer({
    registry,
    secret: SECRET,
    logger: silentLogger,
    port: 0,
    staticRoot: tmp.write('app/index.html', '<!doctype html>').replace(/index\.html$/, ''),
    upstream: { timeoutMs: 5_000 },
  });
});

afterAll(async () => {
  await proxy.close();
  registry.close();
  await upstream.close();
  await new Promise((r) => tunnelProxy.server.close(r));
  await new Promise((r) => refusingProxy.server.close(r));
  tmp.remove();
});

describe('proxy-url (KC-07)', () => {
  it('tunnels through the proxy with CONNECT, TLS end to end, proxy credentials from the URL', async () => {
    const before = upstream.requests.length;
    const res = await send(proxy.port, '/clusters/tunnelled/api/v1/pods', { headers: bearer });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).kind).toBe('PodList');
    const port = new URL(upstream.url).port;
    expect(tunnelProxy.tunnels.map((t) => t.authority)).toContain(`127.0.0.1:${port}`);
    expect(tunnelProxy.tunnels[0]?.proxyAuthorization).toBe(
      `Basic ${Buffer.from('kg:s3cret').toString('base64')}`,
    );
    // The apiserver saw the context's own token; the proxy credentials never reached it.
    const seen = upstream.requests.slice(before);
    expect(seen.map((r) => r.headers.authorization)).toEqual(['Bearer cluster-token']);
    expect(seen.every((r) => r.headers['proxy-authorization'] === undefined)).toBe(true);
  });

  it('a proxy that refuses CONNECT is a 502 Status naming the context, not a hang', async () => {
    const res = await send(proxy.port, '/clusters/refused/api/v1/pods', { headers: bearer });
    expect(res.status).toBe(502);
    const status = JSON.parse(res.body) as { kind: string; message: string };
    expect(status.kind).toBe('Status');
    expect(status.message).toContain('refused');
    expect(status.message).toMatch(/refused CONNECT/);
  });

  it('an unsupported proxy scheme is a clear error on that context only', async () => {
    const res = await send(proxy.port, '/-/contexts', { headers: bearer });
    const list = JSON.parse(res.body) as { contexts: { name: string; error?: string }[] };
    const byName = new Map(list.contexts.map((c) => [c.name, c.error]));
    expect(byName.get('socks')).toMatch(/proxy-url scheme socks5 is not supported/);
    expect(byName.get('tunnelled')).toBeUndefined();
  });
});
