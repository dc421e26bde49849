// Unreachable apiservers that count how often they are tried. A "closed" port refuses at once
// (nothing listens); a "reset" sink accepts and drops the connection; a "silent" sink accepts and
// never answers (an apiserver behind a dead load balancer). Sinks count accepted connections, so
// a spec can prove that an unreachable context causes no request storm.
import { createServer, type Server, type Socket } from 'node:net';

export interface TcpSink {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      if (addr === null || typeof addr === 'string') reject(new Error('no TCP address'));
      else resolve(addr.port);
    });
  });
}

export async function startTcpSink(mode: 'reset' | 'silent'): Promise<TcpSink> {
  let count = 0;
  const open = new Set<Socket>();
  const server = createServer((socket) => {
    count += 1;
    socket.on('error', () => {});
    if (mode === 'reset') {
      socket.resetAndDestroy();
      return;
    }
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  const port = await listen(server);
  return {
    port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A 127.0.0.1 port nothing listens on: bound, then released (ECONNREFUSED from then on). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
