// Faults 1-3: the proxy killed and restarted mid-watch; the simulated cluster restarted with the
// same resourceVersions (a snapshot), and with RVs reset to small numbers (a new cluster). Churn
// runs throughout; each scenario checks what the UI said and that the open view equals the server.
import { expect, test } from '@playwright/test';
import { FaultCluster } from './harness/fault-cluster.ts';
import { FaultLedger } from './harness/fault-ledger.ts';
import { runFaultScenario } from './harness/fault-scenario.ts';
import { expectViewsEqualServer } from './harness/view-rows.ts';

const ledger = new FaultLedger('server-restarts');
let cluster: FaultCluster;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  cluster = await FaultCluster.start({ pods: 60, churn: 20 });
});

test.afterAll(async () => {
  await cluster?.stop();
});

test.beforeEach(async ({ page }) => {
  await cluster.open(page, 'ctx=sim-cert&r=v1/pods&ns=*');
  await expectViewsEqualServer(page, cluster.serverList);
});

test('proxy killed mid-watch and restarted on its port: the view resumes and equals the server', async ({
  page,
}) => {
  await runFaultScenario({
    page,
    ledger,
    name: 'proxy killed and restarted mid-watch',
    serverList: cluster.serverList,
    inject: () => cluster.killProxy(),
    // Down until the views have said so: every list and watch start now fails to connect.
    uiSays: /proxy unreachable/,
    recover: () => cluster.startProxy(),
  });
});

test('sim restarted with the same resourceVersions: the view resumes or relists and equals the server', async ({
  page,
}) => {
  let restart: Promise<{ before: string; after: string }> | undefined;
  await runFaultScenario({
    page,
    ledger,
    name: 'sim restarted, same RVs',
    serverList: cluster.serverList,
    inject: async () => {
      restart = cluster.restartSim('same', 3000);
    },
    uiSays: /reconnecting|unreachable/,
    recover: async () => {
      const rv = await restart;
      // The restarted cluster continues exactly where the old one stopped.
      expect(rv?.after).toBe(rv?.before);
      await cluster.churn(20);
    },
  });
});

test('R-08/TE-07: sim restarted with RVs reset to smaller ones: the view relists instead of waiting forever', async ({
  page,
}) => {
  let restart: Promise<{ before: string; after: string }> | undefined;
  await runFaultScenario({
    page,
    ledger,
    name: 'sim restarted, RVs reset',
    serverList: cluster.serverList,
    inject: async () => {
      restart = cluster.restartSim('reset', 3000);
    },
    uiSays: /reconnecting|unreachable/,
    recover: async () => {
      const rv = await restart;
      if (rv && Number(rv.after) >= Number(rv.before))
        throw new Error(`the reset did not lower the RV: ${JSON.stringify(rv)}`);
      await cluster.churn(20);
    },
    compare: { timeoutMs: 45_000 },
  });
});
