// One port, two protocols: the first byte of a connection tells a TLS ClientHello (0x16) from a
// plaintext HTTP request line, and the socket is handed to the HTTPS or the HTTP server. The
// browser keeps using http:// (the printed URL); tools that only send credentials over TLS
// (kubectl) use https:// on the same port.
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createServer, type Server, type Socket } from 'node:net';

const TLS_HANDSHAKE = 0x16;
/** A client that connects and says nothing is dropped after this long. */
const FIRST_BYTE_TIMEOUT_MS = 30_000;

export function createSniffingListener(http: HttpServer, https: HttpsServer): Server {
  return createServer({ noDelay: true }, (socket: Socket) => {
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('error', () => socket.destroy());
    socket.once('data', (chunk: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(chunk);
      const target = chunk[0] === TLS_HANDSHAKE ? https : http;
      target.emit('connection', socket);
      // The server attaches its own reader; resume in case it relies on flowing mode.
      process.nextTick(() => socket.resume());
    });
  });
}
