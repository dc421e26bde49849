// Wiring only: the order in which every request meets the proxy's rules, then listen.
//   1. security headers (every response)   2. Host allow-list (DNS rebinding) → 421
//   3. Origin = our origin (CSRF) → 403    4. ?token= exchange → cookie + 302
//   5. /-/healthz (open)   6. session required for /-/*, /clusters/* and the mux → 401
//   7. everything else: the app's static files (or Vite in development).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { ROUTES } from '../contract/api.ts';
import { WATCH_MUX_PATH } from '../contract/watch-mux.ts';
import { createForwardRoute } from './forward/forward-route.ts';
import { DEFAULT_BODY_LIMIT } from './forward/request-body.ts';
import { sendStatus, statusBody } from './forward/status-body.ts';
import { UpstreamClient, type UpstreamClientOptions } from './forward/upstream-client.ts';
import { createSniffingListener } from './http/protocol-sniffer.ts';
import { applySecurityHeaders } from './http/security-headers.ts';
import { createSelfSignedCertificate, type ServerCertificate } from './http/self-signed-certificate.ts';
import type { ContextRegistry } from './kubeconfig/context-registry.ts';
import type { Logger } from './log/redacting-logger.ts';
import { serveMuxConnection } from './mux/watch-mux.ts';
import { isAllowedHost, isAllowedOrigin } from './session/request-origin.ts';
import { SessionGuard } from './session/session-guard.ts';
import { exchangeUrlToken } from './session/token-exchange.ts';
import { createDevUpstream } from './static/dev-upstream.ts';
import { createStaticFiles } from './static/static-files.ts';

export interface ProxyServerOptions {
  registry: ContextRegistry;
  secret: string;
  logger: Logger;
  /** Bind address; 127.0.0.1 unless the user passed --host. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Directory of the built app (dist/app). */
  staticRoot?: string;
  /** Vite dev server to relay app requests to instead of staticRoot. */
  devUpstream?: URL;
  upstream?: UpstreamClientOptions;
  bodyLimit?: number;
  /** WebSocket send-buffer level above which mux upstreams pause. */
  muxHighWaterBytes?: number;
  /** Certificate of the HTTPS side (same port); a self-signed one is made per launch by default. */
  certificate?: ServerCertificate;
}

export interface ProxyServer {
  /** The listening socket; HTTP and HTTPS share it (see http/protocol-sniffer.ts). */
  server: Server;
  port: number;
  /** PEM of the HTTPS side's certificate, also served at /-/tls.crt. */
  certificatePem: string;
  /** http://127.0.0.1:PORT (or the bound host) without the secret. */
  origin: string;
  close(): Promise<void>;
}

/** The HTTPS side's certificate (public), for `kubectl --certificate-authority`. */
export const TLS_CERT_PATH = '/-/tls.crt';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '127.0.0.1', 'localhost', '::1']);

export async function startProxyServer(opts: ProxyServerOptions): Promise<ProxyServer> {
  const { registry, logger } = opts;
  const session = new SessionGuard(opts.secret);
  const upstream = new UpstreamClient(opts.upstream);
  const bindHost = opts.host ?? '127.0.0.1';
  let port = 0;
  const hostPolicy = {
    port: () => port,
    extraHosts: WILDCARD_HOSTS.has(bindHost) ? [] : [bindHost],
    anyIpLiteral: bindHost === '0.0.0.0' || bindHost === '::',
  };
  const forward = createForwardRoute({
    registry,
    upstream,
    logger,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
  });
  const dev = opts.devUpstream ? createDevUpstream(opts.devUpstream) : undefined;
  const serveStatic = createStaticFiles(opts.staticRoot ?? 'dist/app');
  const certificate = opts.certificate ?? createSelfSignedCertificate(hostPolicy.extraHosts);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });

  /** Rules 2–3 (and 6 when `needSession`); answers and returns false when a rule fails. */
  const admit = (
    req: IncomingMessage,
    needSession: boolean,
  ): { code: number; message: string } | undefined => {
    if (!isAllowedHost(req.headers.host, hostPolicy)) return { code: 421, message: 'unexpected Host header' };
    if (!isAllowedOrigin(req)) return { code: 403, message: 'cross-origin requests are not allowed' };
    if (needSession && !session.isAuthenticated(req)) {
      return { code: 401, message: 'missing or wrong kubeglass session: open the URL kubeglass printed' };
    }
    return undefined;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const hostOk = isAllowedHost(req.headers.host, hostPolicy);
    const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
    applySecurityHeaders(res, hostOk ? req.headers.host : undefined, secure);
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    const isApi = url.pathname.startsWith('/-/') || url.pathname.startsWith(ROUTES.clusters);
    const needSession = isApi && url.pathname !== ROUTES.healthz && url.pathname !== TLS_CERT_PATH;
    const refused = admit(req, false);
    if (refused) {
      sendStatus(res, refused.code, refused.message);
      return;
    }

    if (exchangeUrlToken(req, res, url, session)) return;
    if (url.pathname === TLS_CERT_PATH) {
      res.writeHead(200, { 'content-type': 'application/x-pem-file', 'cache-control': 'no-store' });
      res.end(certificate.certPem);
      return;
    }
    if (url.pathname === ROUTES.healthz) {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      res.end('ok');
      return;
    }
    if (needSession && !session.isAuthenticated(req)) {
      sendStatus(res, 401, 'missing or wrong kubeglass session: open the URL kubeglass printed');
      return;
    }
    if (url.pathname === ROUTES.contexts) {
      const body = JSON.stringify(registry.list());
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    if (url.pathname.startsWith(ROUTES.clusters)) {
      forward(req, res).catch((err: unknown) => {
        logger.error(`forward failed: ${err instanceof Error ? err.message : String(err)}`);
        sendStatus(res, 500, 'internal proxy error');
      });
      return;
    }
    if (isApi) {
      sendStatus(res, 404, `no such proxy route ${url.pathname}`);
      return;
    }
    if (dev) dev.serve(req, res);
    else serveStatic(req, res);
  };

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const pathname = (req.url ?? '').split('?')[0];
    if (pathname === WATCH_MUX_PATH) {
      const refused = admit(req, true);
      if (refused) {
        socket.end(
          `HTTP/1.1 ${refused.code} Refused\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${refused.message}`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        serveMuxConnection(ws, {
          registry,
          upstream,
          logger,
          ...(opts.muxHighWaterBytes !== undefined ? { highWaterBytes: opts.muxHighWaterBytes } : {}),
        });
      });
      return;
    }
    if (pathname?.startsWith(ROUTES.clusters)) {
      // exec, attach and port-forward need SPDY/WebSocket upgrades to the apiserver: not relayed.
      const body = JSON.stringify(
        statusBody(501, 'kubeglass does not relay upgraded connections (exec, attach, port-forward)'),
      );
      socket.end(
        `HTTP/1.1 501 Not Implemented\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    if (dev && !admit(req, false)) {
      dev.upgrade(req, socket, head);
      return;
    }
    socket.destroy();
  };

  const serverOptions = { requestTimeout: 0, headersTimeout: 30_000, keepAliveTimeout: 5_000 };
  const httpServer = createServer(serverOptions, handle);
  const httpsServer = createHttpsServer(
    { ...serverOptions, cert: certificate.certPem, key: certificate.keyPem },
    handle,
  );
  for (const s of [httpServer, httpsServer]) {
    s.on('upgrade', upgrade);
    s.on('clientError', (_err, socket) => socket.destroy());
  }
  const server = createSniffingListener(httpServer, httpsServer);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 7400, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const displayHost =
    bindHost === '0.0.0.0' || bindHost === '::'
      ? '127.0.0.1'
      : bindHost.includes(':')
        ? `[${bindHost}]`
        : bindHost;
  return {
    server,
    port,
    certificatePem: certificate.certPem,
    origin: `http://${displayHost}:${port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      upstream.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      httpServer.closeAllConnections();
      httpsServer.closeAllConnections();
      await closed;
    },
  };
}
