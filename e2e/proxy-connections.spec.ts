// BR-09: browsers allow six HTTP/1.1 connections per origin, across tabs. Twelve live watches as
// plain requests would hold all six and stall everything else; through the watch multiplexer
// (one WebSocket per tab) the same twelve watches leave requests flowing.
import { expect, type Page, test } from '@playwright/test';
import { ROUTES, SESSION_QUERY_PARAM } from '../proxy/contract/api.ts';
import { WATCH_MUX_PATH } from '../proxy/contract/watch-mux.ts';
import { readE2eState } from './harness/e2e-state.ts';

const state = readE2eState();
const WATCHES = [
  '/clusters/sim-cert/api/v1/pods?watch=true',
  '/clusters/sim-cert/api/v1/events?watch=true',
  '/clusters/sim-cert/api/v1/namespaces?watch=true',
  '/clusters/sim-token/api/v1/pods?watch=true',
];

/**
 * Sign the page in without booting the app: the app opens its own requests, which would make the
 * connection counts below depend on whatever the UI does. /-/healthz is a plain page on our origin.
 */
async function signIn(page: Page): Promise<void> {
  await page.goto(
    `${state.origin}${ROUTES.healthz}?${SESSION_QUERY_PARAM}=${encodeURIComponent(state.secret)}`,
  );
}

/** Open the four watches over one mux WebSocket; counts bytes received per stream id in window. */
async function openMuxWatches(page: Page): Promise<void> {
  await page.evaluate(
    ({ muxPath, paths }) =>
      new Promise<void>((resolve, reject) => {
        const bytes: Record<number, number> = {};
        (window as unknown as { muxBytes: Record<number, number> }).muxBytes = bytes;
        const ws = new WebSocket(`ws://${location.host}${muxPath}`);
        ws.binaryType = 'arraybuffer';
        ws.onmessage = (ev) => {
          if (typeof ev.data === 'string') return;
          const id = new DataView(ev.data as ArrayBuffer).getUint32(0);
          bytes[id] = (bytes[id] ?? 0) + (ev.data as ArrayBuffer).byteLength - 4;
        };
        ws.onerror = () => reject(new Error('mux socket failed'));
        ws.onopen = () => {
          for (const [i, path] of paths.entries()) ws.send(JSON.stringify({ op: 'open', id: i + 1, path }));
          resolve();
        };
      }),
    { muxPath: WATCH_MUX_PATH, paths: WATCHES },
  );
}

const streamsWithData = (page: Page) =>
  page.evaluate(
    () =>
      Object.values((window as unknown as { muxBytes: Record<number, number> }).muxBytes).filter((n) => n > 0)
        .length,
  );

/** Time a request from the page; resolves 'stalled' if it does not finish within `ms`. */
function timedFetch(page: Page, path: string, ms: number) {
  return page.evaluate(
    async ({ path, ms }) => {
      const start = performance.now();
      const done = fetch(path).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      });
      const timeout = new Promise<'stalled'>((r) => setTimeout(() => r('stalled'), ms));
      const status = await Promise.race([done, timeout]);
      return { status, ms: performance.now() - start };
    },
    { path, ms },
  );
}

test('12 live watches over the mux (3 pages x 4) leave other requests flowing', async ({ context }) => {
  const pages = await Promise.all([context.newPage(), context.newPage(), context.newPage()]);
  for (const page of pages) {
    await signIn(page);
    await openMuxWatches(page);
  }
  for (const page of pages) await expect.poll(() => streamsWithData(page), { timeout: 20_000 }).toBe(4);
  const first = pages[0]!;
  const contexts = await timedFetch(first, ROUTES.contexts, 5000);
  const list = await timedFetch(first, '/clusters/sim-cert/api/v1/namespaces', 5000);
  expect(contexts.status).toBe(200);
  expect(list.status).toBe(200);
  // Still live afterwards: every stream keeps receiving (churn runs at 20 events/s).
  const before = await first.evaluate(() => ({
    ...(window as unknown as { muxBytes: Record<number, number> }).muxBytes,
  }));
  await expect
    .poll(
      () =>
        first.evaluate(() => (window as unknown as { muxBytes: Record<number, number> }).muxBytes[1] ?? 0),
      {
        timeout: 20_000,
      },
    )
    .toBeGreaterThan(before[1] ?? 0);
});

test('12 plain HTTP/1.1 watches would stall a 13th request (why the mux exists)', async ({ context }) => {
  const page = await context.newPage();
  await signIn(page);
  await page.evaluate((paths) => {
    const w = window as unknown as { aborts: AbortController[]; streaming: number };
    w.aborts = [];
    w.streaming = 0;
    for (let i = 0; i < 12; i++) {
      const ctl = new AbortController();
      w.aborts.push(ctl);
      fetch(paths[i % paths.length] ?? '', { signal: ctl.signal })
        .then(async (r) => {
          w.streaming++;
          const reader = r.body?.getReader();
          for (;;) if (!reader || (await reader.read()).done) break;
        })
        .catch(() => {});
    }
  }, WATCHES);
  // The first watches get connections and stream; the rest wait in the browser's queue.
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { streaming: number }).streaming), {
      timeout: 10_000,
    })
    .toBeGreaterThanOrEqual(5);
  const stalled = await timedFetch(page, ROUTES.contexts, 3000);
  expect(stalled.status).toBe('stalled');
  await page.evaluate(() => {
    for (const c of (window as unknown as { aborts: AbortController[] }).aborts) c.abort();
  });
  const after = await timedFetch(page, ROUTES.contexts, 5000);
  expect(after.status).toBe(200);
});
