import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openRawStream, type PreparedRequest, type RawStream } from './raw-stream.ts';
import type { UpstreamCall } from './upstream-client.ts';

// openRawStream against a plain TCP server that writes exactly what each test says, when it says:
// the head in pieces, a body right behind the head, a close before any answer.

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(onConnection: (socket: Socket) => void): Promise<number> {
  const s = createServer((socket) => {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    // Wait for the request head, as a server does.
    let head = '';
    const onData = (b: Buffer) => {
      head += b.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      onConnection(socket);
    };
    socket.on('data', onData);
  });
  server = s;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const address = s.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function open(port: number): Promise<RawStream> {
  const prepared: PreparedRequest = {
    name: 'plain',
    target: {
      origin: new URL(`http://127.0.0.1:${port}`),
      basePath: '',
      insecureSkipTlsVerify: false,
      credentials: { get: async () => ({}), invalidate: () => false },
      impersonation: [],
    },
    creds: {},
    tls: false,
    headers: {},
    where: `http://127.0.0.1:${port}`,
  };
  // openRawStream reads only the path, query and signal of the call.
  const call = {
    apiPath: '/api/v1/pods',
    search: '?watch=true',
    signal: new AbortController().signal,
  } as Partial<UpstreamCall> as UpstreamCall;
  return openRawStream(prepared, call, 10_000);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads the body to its end: the bytes, and the distinct memory they were read into. */
function readAll(raw: RawStream): Promise<{ text: string; buffers: number }> {
  const pieces: Buffer[] = [];
  const memory = new Set<ArrayBufferLike>();
  return new Promise((resolve) => {
    raw.socket.once('close', () =>
      resolve({ text: Buffer.concat(pieces).toString('latin1'), buffers: memory.size }),
    );
    raw.readBody((bytes, release) => {
      memory.add(bytes.buffer);
      pieces.push(Buffer.from(bytes)); // a copy: the view is only lent until release
      release();
      return true;
    });
  });
}

describe('openRawStream', () => {
  it('reads a head that arrives a few bytes at a time, then the body bytes that came with its end', async () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
    const port = await serve(async (socket) => {
      for (let i = 0; i < head.length - 4; i += 7) {
        socket.write(head.slice(i, Math.min(i + 7, head.length - 4)));
        await pause(2);
      }
      socket.write(`\r\n\r\n5\r\nfirst\r\n`);
      await pause(20);
      socket.end('6\r\nsecond\r\n0\r\n\r\n');
    });
    const raw = await open(port);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['transfer-encoding']).toBe('chunked');
    const body = await readAll(raw);
    expect(body.text).toBe('5\r\nfirst\r\n6\r\nsecond\r\n0\r\n\r\n');
  });

  it('reads a long body into a few reused slabs, not a buffer per read', async () => {
    const piece = `${'x'.repeat(4_000)}\n`;
    const pieces = 2_000; // 8 MB in 2,000 writes
    const port = await serve(async (socket) => {
      socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
      for (let i = 0; i < pieces; i++) {
        if (!socket.write(piece)) await new Promise((r) => socket.once('drain', r));
      }
      socket.end();
    });
    const raw = await open(port);
    const body = await readAll(raw);
    expect(body.text.length).toBe(piece.length * pieces);
    expect(body.text).toBe(piece.repeat(pieces));
    expect(body.buffers).toBeLessThanOrEqual(3);
  });

  it('stops reading while the body reader says so, and goes on when resumed', async () => {
    let writeSecond = () => {};
    const port = await serve((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nfirst');
      writeSecond = () => socket.end('second');
    });
    const raw = await open(port);
    const seen: string[] = [];
    raw.readBody((bytes, release) => {
      seen.push(bytes.toString());
      release();
      return false;
    });
    for (let i = 0; i < 100 && seen.length === 0; i++) await pause(10);
    expect(seen).toEqual(['first']);
    writeSecond();
    await pause(100);
    expect(seen).toEqual(['first']);
    const closed = new Promise((r) => raw.socket.once('close', r));
    raw.socket.resume();
    await closed;
    expect(seen).toEqual(['first', 'second']);
  });

  it('fails with a clear error when the server closes before answering, or sends a head over 64 KiB', async () => {
    let port = await serve((socket) => socket.destroy());
    await expect(open(port)).rejects.toMatchObject({
      code: 502,
      message: expect.stringMatching(/closed the connection before answering/),
    });
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    port = await serve((socket) => {
      socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}`);
    });
    await expect(open(port)).rejects.toMatchObject({
      code: 502,
      message: expect.stringMatching(/response head over 64 KiB/),
    });
  });
});
