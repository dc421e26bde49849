// The simulated cluster's standalone server: HTTPS (or plain HTTP for benchmarks) in front of the
// environment-free core. Wiring only: PKI and tokens, then the authenticator, then the
// request/response translation, then listen. Everything Kubernetes-specific is in proxy/sim/core.
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { SimCluster } from '../core/sim-cluster.ts';
import { Authenticator, newTokens } from './authenticator.ts';
import { createSimPki, type PemPair } from './certificates.ts';
import { writeKubeconfig } from './kubeconfig-out.ts';
import { BodyTooLargeError, MAX_BODY_BYTES, readBody, toSimRequest } from './node-request.ts';
import { type SeededCluster, startSeededCluster } from './seeded-cluster.ts';
import { writeSimResponse } from './write-sim-response.ts';

export interface SimServerOptions {
  /** Interface to bind. Default 127.0.0.1; anything else must be asked for explicitly. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Serve this cluster instead of creating one. The caller keeps ownership (close() leaves it open). */
  cluster?: SimCluster;
  /** Pods to seed when the server creates its own cluster (default 200). */
  pods?: number;
  /** Churn events per second on the server's own cluster (default 0: a still cluster). */
  churnPerSecond?: number;
  /** Watch history window (events) of the server's own cluster; the core's default when unset. */
  historyWindow?: number;
  /** Write a kubeconfig for this server to the path (mode 0600). */
  kubeconfigOut?: string;
  /** HTTPS with the generated CA (default true). false: plain HTTP, bearer tokens only. */
  tls?: boolean;
  /** Largest accepted request body (default 3 MiB, as the apiserver). */
  maxBodyBytes?: number;
}

export interface SimServer {
  /** e.g. https://127.0.0.1:40123 (no trailing slash). */
  url: string;
  port: number;
  caPem: string;
  adminToken: string;
  readOnlyToken: string;
  adminCert: PemPair;
  viewerCert: PemPair;
  cluster: SimCluster;
  kubeconfigPath?: string;
  /** TCP connections currently open (the proxy's leak tests read this). */
  openConnections(): number;
  /** Stop listening, drop every connection (aborting watches), stop churn; idempotent. */
  close(): Promise<void>;
}

function statusBody(code: number, reason: string, message: string): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
}

function sendStatus(res: http.ServerResponse, code: number, reason: string, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = statusBody(code, reason, message);
  res.writeHead(code, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

function formatUrl(scheme: string, host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export async function startSimServer(opts: SimServerOptions = {}): Promise<SimServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid port ${String(opts.port)}: expected an integer from 0 to 65535`);
  }
  const useTls = opts.tls ?? true;
  const maxBodyBytes = opts.maxBodyBytes ?? MAX_BODY_BYTES;

  const { ca, server: serverCert, adminClient: adminCert, viewerClient: viewerCert } = createSimPki();
  const tokens = newTokens();
  const authenticator = new Authenticator(tokens, useTls ? ca.pem.certPem : undefined);

  let seeded: SeededCluster | undefined;
  let cluster: SimCluster;
  if (opts.cluster) {
    cluster = opts.cluster;
  } else {
    seeded = startSeededCluster({
      pods: opts.pods ?? 200,
      churnPerSecond: opts.churnPerSecond ?? 0,
      ...(opts.historyWindow !== undefined ? { historyWindow: opts.historyWindow } : {}),
    });
    cluster = seeded.cluster;
  }

  const sockets = new Set<Socket>();
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void serve(req, res);
  };

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // The client leaving before the response finished aborts the request (watches end at once).
    const controller = new AbortController();
    const abortIfUnfinished = () => {
      if (!res.writableFinished) controller.abort();
    };
    res.on('close', abortIfUnfinished);
    req.on('close', () => {
      if (!req.complete) controller.abort();
    });
    try {
      const user = authenticator.authenticate(req.socket, req.headers.authorization);
      const body = await readBody(req, maxBodyBytes);
      const response = await cluster.handle(toSimRequest(req, body, user, controller.signal));
      if (controller.signal.aborted) {
        res.destroy();
        return;
      }
      await writeSimResponse(res, response, controller.signal);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        // Tell the client not to keep the connection: the unread body is still on the wire.
        res.setHeader('connection', 'close');
        sendStatus(res, 413, 'RequestEntityTooLarge', error.message);
        return;
      }
      if (controller.signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      sendStatus(res, 500, 'InternalError', `Internal error occurred: ${message}`);
    }
  }

  const server = useTls
    ? https.createServer(
        {
          key: serverCert.keyPem,
          cert: serverCert.certPem,
          // Ask for a client certificate but let token and anonymous callers in: the
          // authenticator verifies the certificate against our CA and decides (401 comes from
          // the core, as on a real apiserver).
          requestCert: true,
          rejectUnauthorized: false,
          // No `ca` on purpose. With our CA loaded, OpenSSL checks the signature of a foreign
          // certificate whose issuer has the same name, and Node then reports the error it left
          // queued (ERR_SSL_EVP_LIB) on the next read as a client error: a 400 instead of a 401.
          // Without it the CertificateRequest names no CA, so clients send any certificate.
        },
        onRequest,
      )
    : http.createServer(onRequest);
  // Watches are long-lived: no idle socket timeout on the server side (clients set timeoutSeconds).
  server.timeout = 0;
  server.requestTimeout = 0;
  server.on('connection', (socket: Socket) => {
    // Each watch event is a small write that must leave at once (no Nagle coalescing).
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A failed TLS handshake (e.g. a client that does not trust our CA) is the client's problem.
  server.on('tlsClientError', () => undefined);
  server.on('clientError', (_error, socket: Socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  try {
    server.listen(port, host);
    await once(server, 'listening');
  } catch (error) {
    seeded?.stop();
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${port} on ${host} is already in use`);
    if (code === 'EADDRNOTAVAIL') throw new Error(`cannot bind to ${host}: address not available`);
    throw error;
  }
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const url = formatUrl(useTls ? 'https' : 'http', host, boundPort);

  let closing: Promise<void> | undefined;
  const simServer: SimServer = {
    url,
    port: boundPort,
    caPem: ca.pem.certPem,
    adminToken: tokens.admin,
    readOnlyToken: tokens.readOnly,
    adminCert,
    viewerCert,
    cluster,
    openConnections: () => sockets.size,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await closed;
        seeded?.stop();
      })();
      return closing;
    },
  };

  if (opts.kubeconfigOut !== undefined) {
    try {
      simServer.kubeconfigPath = await writeKubeconfig(opts.kubeconfigOut, {
        server: url,
        caPem: ca.pem.certPem,
        adminCert,
        adminToken: tokens.admin,
        readOnlyToken: tokens.readOnly,
      });
    } catch (error) {
      await simServer.close();
      throw error;
    }
  }
  return simServer;
}
