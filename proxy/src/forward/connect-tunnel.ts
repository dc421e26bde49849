// kubeconfig `proxy-url` (KC-07): reach the cluster through an HTTP proxy with a CONNECT tunnel,
// as client-go's transport does for http(s) proxy URLs. The tunnel carries the TLS session to the
// apiserver end to end, so the proxy never sees credentials or API traffic; a Proxy-Authorization
// header is sent only when the proxy URL itself carries user info.
import { type ClientRequest, request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';

/** How long the proxy may take to answer CONNECT before the forward fails (it then becomes a 502/504). */
const CONNECT_TIMEOUT_MS = 15_000;

export class TunnelError extends Error {
  override readonly name = 'TunnelError';
}

/**
 * Open a CONNECT tunnel to host:port through `proxy` (an http: URL). Resolves with the raw socket
 * once the proxy answered 200; anything else rejects with a TunnelError that names the proxy's
 * host but never its credentials.
 */
export function openTunnel(proxy: URL, host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const headers: Record<string, string> = { host: authority };
    if (proxy.username || proxy.password) {
      const user = decodeURIComponent(proxy.username);
      const pass = decodeURIComponent(proxy.password);
      headers['proxy-authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    }
    const req: ClientRequest = httpRequest({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || 80,
      method: 'CONNECT',
      path: authority,
      headers,
      timeout: CONNECT_TIMEOUT_MS,
    });
    const where = `proxy ${proxy.host}`;
    req.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(
          new TunnelError(
            `${where} refused CONNECT ${authority}: ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
          ),
        );
        return;
      }
      resolve(socket);
    });
    req.once('timeout', () =>
      req.destroy(new TunnelError(`${where} did not answer CONNECT within ${CONNECT_TIMEOUT_MS} ms`)),
    );
    req.once('error', (err) =>
      reject(err instanceof TunnelError ? err : new TunnelError(`${where} unreachable: ${err.message}`)),
    );
    req.end();
  });
}

type Oncreate = (err: Error | null, socket?: Socket) => void;

/**
 * An Agent `createConnection` that tunnels through `proxy`: plain for http: upstreams, TLS on top
 * of the tunnel (with the Agent's CA, client certificate and server name) for https: upstreams.
 */
export function tunnelingCreateConnection(proxy: URL, tls: boolean) {
  return (
    options: ConnectionOptions & { host?: string; port?: number | string },
    oncreate: Oncreate,
  ): undefined => {
    const host = options.host ?? 'localhost';
    const port = Number(options.port ?? (tls ? 443 : 80));
    openTunnel(proxy, host, port).then(
      (socket) => {
        if (!tls) {
          oncreate(null, socket);
          return;
        }
        const secure = tlsConnect({ ...options, socket, servername: options.servername ?? host });
        secure.once('secureConnect', () => oncreate(null, secure));
        secure.once('error', (err) => oncreate(err));
      },
      (err: Error) => oncreate(err),
    );
    return undefined;
  };
}
