import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMITTED_AT_ANNOTATION } from './restart-bump.ts';
import { startWatchDelivery } from './watch-delivery.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A fake cluster prefix: answers the list, then streams what `watch` writes. */
async function serve(opts: {
  list?: unknown;
  watchStatus?: number;
  watch?: (res: http.ServerResponse) => void;
}): Promise<{ base: string; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.headers.authorization} ${req.url}`);
    if (req.url?.includes('watch=true')) {
      res.writeHead(opts.watchStatus ?? 200, { 'content-type': 'application/json' });
      opts.watch?.(res);
      if ((opts.watchStatus ?? 200) !== 200) res.end('{}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(opts.list ?? { metadata: { resourceVersion: '7' }, items: [] }));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/clusters/c`, seen };
}

const event = (stamp?: number) =>
  `${JSON.stringify({
    type: 'MODIFIED',
    object: {
      metadata: {
        name: 'p',
        annotations: stamp === undefined ? {} : { [COMMITTED_AT_ANNOTATION]: String(stamp) },
      },
    },
  })}\n`;

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

describe('startWatchDelivery', () => {
  it('watches from the listed resourceVersion and times stamped events, also across chunks', async () => {
    const { base, seen } = await serve({
      watch: (res) => {
        const now = Date.now();
        const two = event(now - 40) + event(now);
        res.write(two.slice(0, 30));
        setTimeout(() => res.write(two.slice(30) + event()), 20);
      },
    });
    const w = await startWatchDelivery({ base, path: '/api/v1/pods', token: 't0k', timeoutMs: 5_000 });
    await until(() => w.count === 2);
    expect(w.ended).toBe(false);
    const { latencies, unstamped, ended } = w.stop();
    expect(ended).toBe(false);
    expect(seen).toEqual([
      'Bearer t0k /clusters/c/api/v1/pods?limit=1',
      'Bearer t0k /clusters/c/api/v1/pods?watch=true&resourceVersion=7',
    ]);
    expect(latencies).toHaveLength(2);
    expect(latencies[0]!).toBeGreaterThanOrEqual(40);
    expect(latencies[1]!).toBeGreaterThanOrEqual(0);
    expect(latencies[1]!).toBeLessThan(latencies[0]!);
    // The unstamped event came in the same chunk as the second stamped one.
    expect(unstamped).toBe(1);
  });

  it('notices when the server ends the watch', async () => {
    const { base } = await serve({ watch: (res) => res.end(event(Date.now())) });
    const w = await startWatchDelivery({ base, path: '/api/v1/pods', token: 't', timeoutMs: 5_000 });
    await until(() => w.ended);
    expect(w.stop()).toMatchObject({ ended: true, unstamped: 0 });
  });

  it('counts unstamped events without timing them', async () => {
    const { base } = await serve({ watch: (res) => res.write(event() + event() + event(Date.now())) });
    const w = await startWatchDelivery({ base, path: '/api/v1/pods', token: 't', timeoutMs: 5_000 });
    await until(() => w.count === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(w.stop().unstamped).toBe(2);
  });

  it('fails clearly on a list without resourceVersion, a refused watch, and a non-JSON line', async () => {
    const noRv = await serve({ list: { items: [] } });
    await expect(
      startWatchDelivery({ base: noRv.base, path: '/x', token: 't', timeoutMs: 5_000 }),
    ).rejects.toThrow(/no resourceVersion/);
    const refused = await serve({ watchStatus: 403 });
    await expect(
      startWatchDelivery({ base: refused.base, path: '/x', token: 't', timeoutMs: 5_000 }),
    ).rejects.toThrow(/answered 403/);
    const garbage = await serve({ watch: (res) => res.write('not json\n') });
    const w = await startWatchDelivery({ base: garbage.base, path: '/x', token: 't', timeoutMs: 5_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(() => w.stop()).toThrow(/not JSON/);
  });
});
