// Faults 9 and 10: sizes. A 1.5 MB object (a custom resource near etcd's limit) created and
// updated while its view is live; 100,000 objects in one namespace, listed in pages and then kept
// live under updates: the row count, a few rows found through the filter, and the whole view
// compared with the server through inspect(). Churn runs on the cluster's pods throughout.
import { expect, test } from '@playwright/test';
import { rowWithCell } from '../harness/explorer-page.ts';
import { FaultCluster } from './harness/fault-cluster.ts';
import { FaultLedger } from './harness/fault-ledger.ts';
import { runFaultScenario } from './harness/fault-scenario.ts';
import { uiSaid } from './harness/ui-status.ts';
import { expectViewsEqualServer } from './harness/view-rows.ts';

const ledger = new FaultLedger('big-data');
let cluster: FaultCluster;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  cluster = await FaultCluster.start({ pods: 60, churn: 20 });
});

test.afterAll(async () => {
  await cluster?.stop();
});

test('a 1.5 MB object created and updated under a live view: shown, no error, equal to the server', async ({
  page,
}) => {
  await cluster.control('big-widget faults-big seed-widget 1000');
  await cluster.open(page, 'ctx=sim-cert&r=example.com/v1/widgets&ns=faults-big');
  await expectViewsEqualServer(page, cluster.serverList, {
    filter: (v) => v.gvr === 'example.com/v1/widgets',
  });
  await runFaultScenario({
    page,
    ledger,
    name: '1.5 MB object',
    serverList: cluster.serverList,
    inject: async () => {
      const created = (await cluster.control('big-widget faults-big huge 1500000')) as { bytes: number };
      expect(created.bytes).toBeGreaterThanOrEqual(1_500_000);
      await expect(rowWithCell(page, 'widgets', 'huge')).toBeVisible({ timeout: 30_000 });
      // A second 1.5 MB event for the same object.
      await cluster.control('big-widget faults-big huge 1600000');
    },
  });
  expect((await uiSaid(page)).filter((t) => !/^synced at RV/.test(t))).toEqual([]);
});

test('100,000 objects in one namespace: counted, spot rows found, the view equals the server under updates', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const made = (await cluster.control('configmaps faults-100k 100000 c', 180_000)) as { created: number };
  expect(made.created).toBe(100_000);
  await runFaultScenario({
    page,
    ledger,
    name: '100,000 objects in one namespace',
    serverList: cluster.serverList,
    inject: async () => {
      await cluster.open(page, 'ctx=sim-cert&r=v1/configmaps&ns=faults-100k');
      await expect(page.getByRole('status', { name: 'sync status' })).toContainText('synced', {
        timeout: 120_000,
      });
      await cluster.control('touch-configmaps faults-100k 200');
    },
    compare: { timeoutMs: 90_000, intervalMs: 2000, filter: (v) => v.gvr === 'v1/configmaps' },
  });
  await expect(page.getByRole('status', { name: 'row count' })).toContainText('100000');
  const filter = page.getByRole('searchbox', { name: 'Filter rows' });
  for (const name of ['c-00000', 'c-54321', 'c-99999']) {
    await filter.fill(name);
    await expect(rowWithCell(page, 'configmaps', name)).toBeVisible({ timeout: 15_000 });
  }
});
