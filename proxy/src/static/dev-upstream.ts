// Development only (`npm run dev`): the app is served by Vite's dev server, reached through the
// proxy so the browser still sees one origin and every session/CSP rule still applies. Plain
// requests are relayed; WebSocket upgrades other than the mux (Vite's HMR) are piped raw.
import { type IncomingMessage, request, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';

export function createDevUpstream(target: URL) {
  const port = Number(target.port || 80);
  const hostname = target.hostname;
  return {
    serve(req: IncomingMessage, res: ServerResponse): void {
      const upstream = request(
        { hostname, port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('the Vite dev server is not reachable');
      });
      req.pipe(upstream);
    },
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const up = connect(port, hostname, () => {
        const lines = [`${req.method} ${req.url} HTTP/1.1`];
        for (let i = 0; i < req.rawHeaders.length; i += 2) {
          const name = req.rawHeaders[i] ?? '';
          lines.push(
            `${name}: ${name.toLowerCase() === 'host' ? target.host : (req.rawHeaders[i + 1] ?? '')}`,
          );
        }
        up.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) up.write(head);
        up.pipe(socket).pipe(up);
      });
      up.on('error', () => socket.destroy());
      socket.on('error', () => up.destroy());
    },
  };
}
