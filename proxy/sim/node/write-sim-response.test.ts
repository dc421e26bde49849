import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimResponse } from '../core/sim-http.ts';
import { writeSimResponse } from './write-sim-response.ts';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Serve one fixed SimResponse per request through writeSimResponse; exposes each request's signal. */
async function serve(
  make: (signal: AbortSignal) => SimResponse,
): Promise<{ url: string; done: Promise<void>[] }> {
  const done: Promise<void>[] = [];
  server = http.createServer((_req, res) => {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    done.push(writeSimResponse(res, make(controller.signal), controller.signal));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, done };
}

/** A controllable stream: the test pushes chunks; records whether return() ran. */
function pushStream() {
  const queue: string[] = [];
  let wake: (() => void) | undefined;
  const state = { returned: false, ended: false };
  async function* gen(): AsyncGenerator<string> {
    try {
      while (!state.ended || queue.length > 0) {
        const next = queue.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      state.returned = true;
    }
  }
  return {
    body: gen(),
    push(chunk: string) {
      queue.push(chunk);
      wake?.();
    },
    end() {
      state.ended = true;
      wake?.();
    },
    state,
  };
}

describe('writeSimResponse', () => {
  it('sends a complete body with a Content-Length', async () => {
    const { url } = await serve(() => ({
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"a":"é"}',
    }));
    const res = await fetch(url);
    expect(res.status).toBe(201);
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength('{"a":"é"}')));
    expect(await res.json()).toEqual({ a: 'é' });
  });

  it('delivers each streamed chunk before the stream ends (WS-01)', async () => {
    const stream = pushStream();
    const { url } = await serve(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: stream.body,
    }));
    const res = await fetch(url);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    stream.push('{"n":1}\n');
    expect(decoder.decode((await reader.read()).value)).toBe('{"n":1}\n');
    stream.push('{"n":2}\n');
    expect(decoder.decode((await reader.read()).value)).toBe('{"n":2}\n');
    stream.end();
    expect((await reader.read()).done).toBe(true);
    expect(stream.state.returned).toBe(true);
  });

  it('stops pulling and returns the iterator when the client disconnects', async () => {
    const stream = pushStream();
    const { url, done } = await serve(() => ({ status: 200, headers: {}, body: stream.body }));
    const abort = new AbortController();
    const res = await fetch(url, { signal: abort.signal });
    const reader = res.body!.getReader();
    stream.push('a\n');
    await reader.read();
    abort.abort();
    await done[0];
    // The generator was parked waiting for a chunk; the next push lets its finally run.
    stream.push('b\n');
    await expect.poll(() => stream.state.returned, { timeout: 2000 }).toBe(true);
  });

  it('destroys the connection when the stream throws after the headers were sent', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield 'first\n';
      throw new Error('boom');
    }
    const { url } = await serve(() => ({ status: 200, headers: {}, body: failing() }));
    const res = await fetch(url);
    await expect(res.text()).rejects.toThrow();
  });

  it('waits for drain instead of buffering a large stream without bound', async () => {
    const big = 'x'.repeat(64 * 1024);
    let produced = 0;
    async function* endless(): AsyncGenerator<string> {
      for (let i = 0; i < 2000; i++) {
        produced++;
        yield big;
      }
    }
    const { url, done } = await serve(() => ({ status: 200, headers: {}, body: endless() }));
    const abort = new AbortController();
    const res = await fetch(url, { signal: abort.signal });
    const reader = res.body!.getReader();
    await reader.read();
    // The client stops reading: the producer must stall far below its 2000 chunks (128 MiB).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stalledAt = produced;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(produced).toBe(stalledAt);
    expect(produced).toBeLessThan(500);
    abort.abort();
    await done[0];
  });
});
