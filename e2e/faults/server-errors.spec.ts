// Faults 5 and 6: the apiserver refusing or slowing down. A compaction followed by every watch
// being closed, so each resume gets 410 Expired — at once across 20 informers (one view over 20
// namespaces, one informer per namespace) (R-18, TE-06); 429 with Retry-After on lists (RC-04,
// then the reflector's backoff); 500s on lists; a slow upstream that trickles watch chunks. Churn
// runs on the pods the view shows throughout.
import { expect, test } from '@playwright/test';
import { FaultCluster } from './harness/fault-cluster.ts';
import { FaultLedger } from './harness/fault-ledger.ts';
import { runFaultScenario } from './harness/fault-scenario.ts';
import { uiSaid, viewStates } from './harness/ui-status.ts';
import { expectViewsEqualServer, readOpenViews } from './harness/view-rows.ts';

const ledger = new FaultLedger('server-errors');
const SYSTEM = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
let cluster: FaultCluster;
let appNamespaces: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  cluster = await FaultCluster.start({ pods: 200, churn: 20, namespaces: 20 });
  appNamespaces = (await cluster.namespaces()).filter((n) => !SYSTEM.has(n));
  expect(appNamespaces).toHaveLength(20);
});

test.afterAll(async () => {
  await cluster?.stop();
});

test.afterEach(async () => {
  await cluster.resetFaults();
});

/** End every watch now: each informer resumes from its last RV (a 410 after a compaction). */
const closeWatches = () => cluster.control('close-watches');

test('R-18: a 410 storm across 20 informers at once: the UI says expired, every view relists and equals the server', async ({
  page,
}) => {
  await cluster.open(page, `ctx=sim-cert&r=v1/pods&ns=${appNamespaces.join(',')}`);
  await expectViewsEqualServer(page, cluster.serverList, { minViews: 21, timeoutMs: 60_000 });
  // 20 pod informers (one per namespace), besides the app's own (the CRD watch).
  expect((await readOpenViews(page)).filter((v) => v.gvr === 'v1/pods')).toHaveLength(20);
  // R-17: a watch closed less than a second after it opened, with no event, is a "very short
  // watch" and relists without a 410. Let every watch age past that, so each resume meets the 410.
  await page.waitForTimeout(2000);
  await runFaultScenario({
    page,
    ledger,
    name: '410 storm across 20 informers',
    serverList: cluster.serverList,
    injected: 20,
    perView: true,
    // One step in the sim: a write no pod view sees, compaction to it, every watch closed.
    inject: () => cluster.control('expire-all').then(() => undefined),
    uiSays: /resourceVersion expired \(410\)/,
    compare: { minViews: 21, timeoutMs: 60_000 },
  });
  // Every one of the 20 pod informers went through the 410 itself, not just one of them.
  const states = await viewStates(page);
  const podKeys = Object.keys(states).filter((k) => k.includes('"pods"'));
  expect(podKeys).toHaveLength(20);
  for (const key of podKeys)
    expect(states[key], key).toContain('reconnecting: resourceVersion expired (410), relisting');
});

test('RC-04: 429 with Retry-After on lists: retried, then backed off with "rate limited"; the view recovers', async ({
  page,
}) => {
  await cluster.open(page, 'ctx=sim-cert&r=v1/pods&ns=*');
  await expectViewsEqualServer(page, cluster.serverList);
  await runFaultScenario({
    page,
    ledger,
    name: '429 with Retry-After on lists',
    serverList: cluster.serverList,
    inject: async () => {
      // More refusals than the client's 10 retries (RC-04), so the reflector backs off too.
      await cluster.faults({
        failNext: { status: 429, count: 14, pathPrefix: '/api/v1/pods', kind: 'list' },
      });
      await cluster.compact();
      await closeWatches();
    },
    uiSays: /rate limited \(429\)/,
    uiTimeoutMs: 45_000,
    compare: { timeoutMs: 60_000 },
  });
});

test('500s on lists: the UI says server error, backs off, and the view recovers', async ({ page }) => {
  await cluster.open(page, 'ctx=sim-cert&r=v1/pods&ns=*');
  await expectViewsEqualServer(page, cluster.serverList);
  await runFaultScenario({
    page,
    ledger,
    name: '500s on lists',
    serverList: cluster.serverList,
    inject: async () => {
      await cluster.faults({ failNext: { status: 500, count: 3, pathPrefix: '/api/v1/pods', kind: 'list' } });
      await cluster.control('expire-all');
    },
    uiSays: /server error \(500 InternalError\)/,
    compare: { timeoutMs: 60_000 },
  });
});

test('a slow upstream that trickles watch chunks and delays every answer: the view keeps up, no error', async ({
  page,
}) => {
  await cluster.open(page, 'ctx=sim-cert&r=v1/pods&ns=*');
  await expectViewsEqualServer(page, cluster.serverList);
  await runFaultScenario({
    page,
    ledger,
    name: 'trickling upstream',
    serverList: cluster.serverList,
    inject: async () => {
      await cluster.faults({ trickleMs: 250, latencyMs: 400 });
      // Several seconds of churn through the slow link, with the reconnect path slowed as well.
      await new Promise((r) => setTimeout(r, 3000));
      await closeWatches();
      await new Promise((r) => setTimeout(r, 3000));
    },
    recover: async () => {
      await cluster.faults({ trickleMs: 0, latencyMs: 0 });
    },
  });
  expect((await uiSaid(page)).filter((t) => !/^synced at RV/.test(t))).toEqual([]);
});
