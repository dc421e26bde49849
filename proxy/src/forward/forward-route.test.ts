import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type ProxyFixture, startProxyFixture } from '../testing/proxy-fixture.ts';

let f: ProxyFixture;
beforeAll(async () => {
  f = await startProxyFixture();
});
afterAll(async () => {
  await f.close();
});

describe('watch relay', () => {
  it('relays a 4 MiB burst byte for byte and in order, every line one whole event (WS-01)', async () => {
    const chunks: Buffer[] = [];
    const req = request({
      host: '127.0.0.1',
      port: f.proxy.port,
      path: '/clusters/tls/api/v1/pods?watch=true',
      headers: { ...bearer, host: `127.0.0.1:${f.proxy.port}` },
      agent: false,
    });
    req.on('response', (res) => res.on('data', (c: Buffer) => chunks.push(c)));
    req.on('error', () => {});
    req.end();
    const until = async (cond: () => boolean, what: string) => {
      const end = Date.now() + 5000;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const text = () => Buffer.concat(chunks).toString();
    await until(() => text().includes('"first"'), 'the first event');
    const floodBytes = 4 * 1024 * 1024;
    f.tls.flood(floodBytes);
    const lines = () => text().split('\n').slice(0, -1);
    const modified = () => lines().filter((l) => l.includes('"MODIFIED"'));
    const lineBytes = () => (modified()[0]?.length ?? 1) + 1;
    await until(
      () => modified().length > 0 && modified().length >= Math.ceil(floodBytes / lineBytes()),
      'the whole burst',
    );
    req.destroy();
    // Unchanged: every line is one whole event, nothing added, nothing lost, in order.
    expect(text().endsWith('\n')).toBe(true);
    for (const line of lines()) expect(() => JSON.parse(line)).not.toThrow();
    expect(modified()).toHaveLength(Math.ceil(floodBytes / lineBytes()));
  });
});
