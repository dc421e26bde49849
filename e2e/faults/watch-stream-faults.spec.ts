// Faults 4, 7 and 8: what can go wrong inside one watch response. A watch that goes silent (no
// bytes, no bookmarks) past its timeout (BR-07, with the page's clock fast-forwarded); chunk
// boundaries inside multi-byte UTF-8 characters and inside lines, several events per chunk, a
// truncated final line (WS-03, WS-06); a malformed line mid-watch (WS-05) and an ERROR event with
// an unexpected Status (WS-07). Churn runs on the cluster's pods throughout, and the fault
// namespace's ConfigMaps (with multi-byte data) are updated while each fault is on.
import { expect, test } from '@playwright/test';
import { FaultCluster } from './harness/fault-cluster.ts';
import { FaultLedger } from './harness/fault-ledger.ts';
import { runFaultScenario } from './harness/fault-scenario.ts';
import { uiSaid } from './harness/ui-status.ts';
import { compareViewsOnce, expectViewsEqualServer } from './harness/view-rows.ts';

const ledger = new FaultLedger('watch-stream-faults');
const NS = 'faults-utf8';
const VIEW = `ctx=sim-cert&r=v1/configmaps&ns=${NS}`;
let cluster: FaultCluster;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  cluster = await FaultCluster.start({ pods: 60, churn: 20 });
  await cluster.control(`configmaps ${NS} 40 item`);
});

test.afterAll(async () => {
  await cluster?.stop();
});

test.afterEach(async () => {
  await cluster.resetFaults();
});

/** Updates to the fault namespace while a fault is on, so events cross the faulty stream. */
async function touch(count: number): Promise<void> {
  await cluster.control(`touch-configmaps ${NS} ${count}`);
}

test('BR-07: a watch silent past its timeout is abandoned and resumed; the view catches up', async ({
  page,
}) => {
  await page.clock.install();
  await cluster.open(page, VIEW);
  await expectViewsEqualServer(page, cluster.serverList);
  await runFaultScenario({
    page,
    ledger,
    name: 'watch silent past its timeout',
    serverList: cluster.serverList,
    inject: async () => {
      await cluster.faults({ silenceWatches: true });
      await touch(10);
      // The fault took effect: the updates did not reach the view.
      await new Promise((r) => setTimeout(r, 1000));
      expect((await compareViewsOnce(page, cluster.serverList)).mismatches).toBeGreaterThan(0);
      // The watch is open and says nothing. Past 1.5 bookmark intervals the indicator says the
      // watch may be stalled (checked by uiSays below)…
      await page.clock.fastForward('02:00');
      await expect
        .poll(async () => (await uiSaid(page)).join(' | '), { timeout: 15_000 })
        .toMatch(/no data for \d+s, the watch may be stalled/);
      // …and BR-07 ends it: the longest client watch timeout is 600 s + 5 s.
      await page.clock.fastForward('08:10');
    },
    recover: async () => {
      await cluster.faults({ silenceWatches: false });
      await touch(5);
      // The resumed watch (opened while silenced) goes quiet as well: its idle timer ends it too.
      await page.clock.fastForward('10:10');
    },
    uiSays: /the watch may be stalled/,
  });
});

test('WS-03/WS-06: chunks cut inside UTF-8 characters and lines, and a truncated last line: no error, no loss', async ({
  page,
}) => {
  await cluster.open(page, VIEW);
  await expectViewsEqualServer(page, cluster.serverList);
  await runFaultScenario({
    page,
    ledger,
    name: 'chunks split inside UTF-8 and lines; truncated final line',
    serverList: cluster.serverList,
    injected: 2,
    inject: async () => {
      await cluster.faults({ watchSplitBytes: 5 });
      await touch(15);
      await new Promise((r) => setTimeout(r, 1500));
      await cluster.faults({ watchSplitBytes: 0, truncateWatches: 1 });
      await touch(5);
    },
  });
  // Correct handling is silent: the view never reported an error for either.
  expect((await uiSaid(page)).filter((t) => !/^synced at RV/.test(t))).toEqual([]);
});

test('WS-05: a malformed line mid-watch is a decode error: the UI says so, the view relists and equals the server', async ({
  page,
}) => {
  await cluster.open(page, VIEW);
  await expectViewsEqualServer(page, cluster.serverList);
  await runFaultScenario({
    page,
    ledger,
    name: 'malformed line mid-watch',
    serverList: cluster.serverList,
    inject: async () => {
      await cluster.faults({ corruptWatchLines: 1 });
      await touch(5);
    },
    uiSays: /malformed watch stream/,
  });
});

test('WS-07: an ERROR event with an unexpected Status ends the watch; the UI says so and the view recovers', async ({
  page,
}) => {
  await cluster.open(page, VIEW);
  await expectViewsEqualServer(page, cluster.serverList);
  await runFaultScenario({
    page,
    ledger,
    name: 'ERROR event with an unexpected Status',
    serverList: cluster.serverList,
    inject: async () => {
      await cluster.faults({ watchErrorEvents: 1 });
      await touch(5);
    },
    uiSays: /server error \(599 InjectedUnexpected\)/,
  });
});
