// Environment fault 1: a kubeconfig with 200 contexts, 20 of them unreachable (ports nothing
// listens on, ports that reset every connection, ports that accept and never answer). The switcher
// stays usable (search, a virtualised list that probes only what it shows), an unreachable context
// says so when chosen, the reachable ones keep working at full speed, and nobody storms the dead
// servers (their connections are counted).
import { expect, type Page, type Request, test } from '@playwright/test';
import { readE2eState } from '../harness/e2e-state.ts';
import { type ContextSpec, readSimAccess, writeKubeconfig } from './harness/env-kubeconfig.ts';
import { type EnvProxy, openThrough, saidBy, scratchDir, startEnvProxy } from './harness/env-proxy.ts';
import { simServerLister } from './harness/env-server-list.ts';
import { closedPort, startTcpSink, type TcpSink } from './harness/env-tcp-sinks.ts';
import { FaultLedger } from './harness/fault-ledger.ts';
import { expectViewsEqualServer } from './harness/view-rows.ts';

const TOTAL = 200;
/** Every tenth context from ctx-007 on: 20 unreachable ones spread through the sorted list. */
const isDown = (i: number) => i % 10 === 7;
const nameOf = (i: number) => `ctx-${String(i).padStart(3, '0')}`;

const ledger = new FaultLedger('env-contexts');
let sim: ReturnType<typeof readSimAccess>;
let proxy: EnvProxy;
const sinks = new Map<string, { kind: 'closed' | 'reset' | 'silent'; sink?: TcpSink }>();

test.beforeAll(async () => {
  sim = readSimAccess(readE2eState().kubeconfig);
  const contexts: ContextSpec[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const name = nameOf(i);
    if (!isDown(i)) {
      contexts.push({ name, server: sim.server, caData: sim.caData, auth: { token: sim.adminToken } });
      continue;
    }
    // Of the 20 dead ones: 10 closed ports, 5 that reset, 5 that never answer.
    const n = (i - 7) / 10;
    const kind = n < 10 ? 'closed' : n < 15 ? 'reset' : 'silent';
    const sink = kind === 'closed' ? undefined : await startTcpSink(kind);
    const port = sink ? sink.port : await closedPort();
    sinks.set(name, { kind, ...(sink ? { sink } : {}) });
    contexts.push({ name, server: `https://127.0.0.1:${port}`, caData: sim.caData, auth: { token: 'x' } });
  }
  const dir = scratchDir('contexts');
  proxy = await startEnvProxy(writeKubeconfig(`${dir}/kubeconfig`, contexts, nameOf(0)), dir);
});

test.afterAll(async () => {
  await proxy?.stop();
  await Promise.all([...sinks.values()].map((s) => s.sink?.close()));
});

/** Browser requests per context, from now on. */
function countRequests(page: Page): Map<string, number> {
  const counts = new Map<string, number>();
  page.on('request', (req: Request) => {
    const m = /^\/clusters\/([^/]+)\//.exec(new URL(req.url()).pathname);
    if (m?.[1]) counts.set(decodeURIComponent(m[1]), (counts.get(decodeURIComponent(m[1])) ?? 0) + 1);
  });
  return counts;
}

async function pick(page: Page, from: string, to: string): Promise<void> {
  await page.getByRole('button', { name: `Context: ${from}` }).click();
  const search = page.getByRole('searchbox', { name: 'Search contexts' });
  await search.fill(to);
  await expect(page.getByRole('listbox', { name: 'Contexts' }).getByRole('option')).toHaveCount(1);
  await search.press('Enter');
  await expect(page.getByRole('button', { name: `Context: ${to}` })).toBeVisible();
}

test('200 contexts, 20 unreachable: searchable, errors on selection, reachable ones unaffected, no storm', async ({
  page,
}) => {
  const started = Date.now();
  const uiSaid: string[] = [];
  const requests = countRequests(page);
  await openThrough(page, proxy, `ctx=${nameOf(0)}&r=v1/pods&ns=*`);
  const sync = page.getByRole('status', { name: 'sync status' });
  await expect(sync).toContainText(/synced at RV \d+/);

  // The list: 200 contexts, a screenful rendered and probed, dead ones marked among them.
  await page.getByRole('button', { name: `Context: ${nameOf(0)}` }).click();
  const list = page.getByRole('listbox', { name: 'Contexts' });
  await expect(page.getByText(`${TOTAL} contexts`, { exact: true })).toBeVisible();
  const rendered = await list.getByRole('option').count();
  expect(rendered).toBeLessThan(20);
  await expect(list.getByRole('option', { name: /^ctx-007/ })).toContainText('unreachable', {
    timeout: 5000,
  });
  await expect(list.getByRole('option', { name: /^ctx-001/ })).toContainText('connected');
  await page.keyboard.press('Escape');
  const probedOnOpen = [...requests.keys()].filter((c) => c !== nameOf(0)).length;
  expect(probedOnOpen).toBeLessThanOrEqual(rendered);

  // A closed port, a resetting port: a clear error on selection, within seconds.
  for (const [ctx, from] of [
    ['ctx-017', nameOf(0)],
    ['ctx-107', 'ctx-017'],
  ] as const) {
    await pick(page, from, ctx);
    const alert = page.getByRole('alert').filter({ hasText: `${ctx} is unreachable` });
    await expect(alert).toBeVisible({ timeout: 5000 });
    await expect(alert).toContainText(/ECONNREFUSED|ECONNRESET|socket hang up/);
    uiSaid.push(await saidBy(alert));
  }

  // A silent one: "connecting", then, past the probe timeout, that it is not responding; its row in
  // the list says unreachable. Meanwhile a reachable context chosen right after it syncs at once:
  // the silent requests hold nothing the other context needs.
  await pick(page, 'ctx-107', 'ctx-157');
  await expect(page.getByText('Connecting to ctx-157…')).toBeVisible();
  const switchedAt = Date.now();
  await pick(page, 'ctx-157', nameOf(3));
  await expect(sync).toContainText(/synced at RV \d+/, { timeout: 10_000 });
  const reachableSyncMs = Date.now() - switchedAt;
  expect(reachableSyncMs).toBeLessThan(8000);
  // Every pod of the cluster, through the reachable context, equals the server's list.
  await page.goto(`${proxy.origin}/?ctx=${nameOf(3)}&r=v1/pods&ns=*`);
  const comparison = await expectViewsEqualServer(page, simServerLister(sim), {
    timeoutMs: 20_000,
    filter: (v) => v.context === nameOf(3),
  });
  expect(comparison.objectsCompared).toBeGreaterThan(50);
  await pick(page, nameOf(3), 'ctx-157');
  // Meanwhile another silent context, only shown in the list (never chosen): its row gives up
  // after the probe timeout and says so.
  await page.getByRole('button', { name: 'Context: ctx-157' }).click();
  await page.getByRole('searchbox', { name: 'Search contexts' }).fill('ctx-167');
  await expect(page.getByRole('option', { name: /^ctx-167/ })).toContainText(
    'unreachable: no answer within 10 s',
    {
      timeout: 15_000,
    },
  );
  await page.keyboard.press('Escape');
  const silent = page.getByRole('status').filter({ hasText: 'Connecting to ctx-157' });
  await expect(silent).toContainText('not responding', { timeout: 15_000 });
  uiSaid.push(await saidBy(silent));

  // No storm: the dead servers saw a handful of connections at most, and those never chosen or
  // shown none. (Counted by the sinks themselves: each accepted TCP connection.)
  const calm = Date.now();
  const before = new Map([...sinks].map(([n, s]) => [n, s.sink?.connections() ?? 0]));
  await page.waitForTimeout(3000);
  for (const [name, s] of sinks) {
    const now = s.sink?.connections() ?? 0;
    if (name === 'ctx-107' || name === 'ctx-157') expect(now).toBeLessThanOrEqual(20);
    else if (name === 'ctx-167') expect(now, 'one probe of a row shown once').toBeLessThanOrEqual(1);
    else expect(now, `${name} was never shown, yet saw connections`).toBe(0);
    // Not growing while the user looks at something else.
    if (name !== 'ctx-157') expect(now - (before.get(name) ?? 0)).toBeLessThanOrEqual(2);
  }
  const downRequests = [...requests].filter(([c]) => sinks.has(c)).reduce((n, [, v]) => n + v, 0);
  console.log(
    `fault-1: reachable sync after a silent context ${reachableSyncMs} ms; browser requests to dead contexts ${downRequests}; sink connections ${JSON.stringify(Object.fromEntries([...sinks].filter(([, s]) => s.sink).map(([n, s]) => [n, s.sink?.connections()])))}; calm from ${calm}`,
  );
  expect(downRequests).toBeLessThan(100);
  ledger.record({
    name: '200 contexts, 20 unreachable',
    injected: 3, // a closed port, a resetting port and a silent port, each chosen
    recovered: 3,
    objectsCompared: comparison.objectsCompared,
    mismatches: comparison.mismatches,
    uiSaid,
    durationMs: Date.now() - started,
  });
});
