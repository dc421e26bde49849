// Environment fault 3: exec credential plugins that hang, fail, are missing, or hand out a token
// the cluster rejects. Each such context says what went wrong in words a user can act on, the
// proxy runs the plugin a bounded number of times (no retry loop), and the other contexts, in the
// same browser, keep working throughout.
import { expect, type Page, test } from '@playwright/test';
import { readE2eState } from '../harness/e2e-state.ts';
import { type ExecPlugin, writeExecPlugin } from './harness/env-exec-plugins.ts';
import { type ContextSpec, readSimAccess, writeKubeconfig } from './harness/env-kubeconfig.ts';
import { type EnvProxy, openThrough, saidBy, scratchDir, startEnvProxy } from './harness/env-proxy.ts';
import { simServerLister } from './harness/env-server-list.ts';
import { FaultLedger } from './harness/fault-ledger.ts';
import { expectViewsEqualServer } from './harness/view-rows.ts';

const INSTALL_HINT = 'kubectl-login is not installed: see https://example.invalid/install';

const ledger = new FaultLedger('env-exec');
let proxy: EnvProxy;
let sim: ReturnType<typeof readSimAccess>;
const plugins: Record<'good' | 'hang' | 'fail' | 'expired', ExecPlugin> = {} as never;

test.beforeAll(async () => {
  sim = readSimAccess(readE2eState().kubeconfig);
  const dir = scratchDir('exec');
  plugins.good = writeExecPlugin(dir, 'good', { kind: 'token', token: sim.adminToken });
  plugins.hang = writeExecPlugin(dir, 'hang', { kind: 'hang' });
  plugins.fail = writeExecPlugin(dir, 'fail', {
    kind: 'fail',
    stderr: 'error: refresh token was revoked; run `login` again\n',
    code: 3,
  });
  plugins.expired = writeExecPlugin(dir, 'expired', { kind: 'token', token: 'expired-0123456789abcdef' });
  const at = { server: sim.server, caData: sim.caData };
  const contexts: ContextSpec[] = [
    { name: 'exec-good', ...at, auth: { execScript: plugins.good.script } },
    { name: 'exec-hang', ...at, auth: { execScript: plugins.hang.script } },
    { name: 'exec-fail', ...at, auth: { execScript: plugins.fail.script } },
    {
      name: 'exec-missing',
      ...at,
      auth: { execScript: 'unused', command: 'kubectl-login-not-installed', installHint: INSTALL_HINT },
    },
    { name: 'exec-expired', ...at, auth: { execScript: plugins.expired.script } },
    { name: 'plain-token', ...at, auth: { token: sim.adminToken } },
  ];
  proxy = await startEnvProxy(writeKubeconfig(`${dir}/kubeconfig`, contexts, 'exec-good'), dir);
});

test.afterAll(async () => {
  await proxy?.stop();
});

async function pick(page: Page, from: string, to: string): Promise<void> {
  await page.getByRole('button', { name: `Context: ${from}` }).click();
  await page
    .getByRole('listbox', { name: 'Contexts' })
    .getByRole('option', { name: new RegExp(`^${to}`) })
    .click();
  await expect(page.getByRole('button', { name: `Context: ${to}` })).toBeVisible();
}

test('exec plugins that hang, fail, are missing or hand out a rejected token', async ({ page, context }) => {
  test.setTimeout(75_000);
  // Tab A sits on the context whose plugin hangs; everything else happens in tab B meanwhile.
  const hangTab = await context.newPage();
  const hangStarted = Date.now();
  await openThrough(hangTab, proxy, 'ctx=exec-hang&r=v1/pods&ns=default');
  await expect(hangTab.getByText('Connecting to exec-hang…')).toBeVisible();

  const sync = page.getByRole('status', { name: 'sync status' });
  await openThrough(page, proxy, 'ctx=exec-good&r=v1/pods&ns=*');
  await expect(sync).toContainText(/synced at RV \d+/, { timeout: 10_000 });
  expect(plugins.good.runs()).toBe(1); // cached until its expiry: one run serves every request

  await pick(page, 'exec-good', 'exec-fail');
  const failed = page.getByRole('alert').filter({ hasText: 'exec-fail is unreachable' });
  await expect(failed).toContainText('exited with 3: error: refresh token was revoked');
  const failSaid = await saidBy(failed);

  await pick(page, 'exec-fail', 'exec-missing');
  const missing = page.getByRole('alert').filter({ hasText: 'exec-missing is unreachable' });
  await expect(missing).toContainText('was not found');
  await expect(missing).toContainText(INSTALL_HINT);
  const missingSaid = await saidBy(missing);

  await pick(page, 'exec-missing', 'exec-expired');
  const expired = page.getByRole('alert').filter({ hasText: 'The credentials for exec-expired expired' });
  await expect(expired).toBeVisible();
  const expiredSaid = await saidBy(expired);
  const expiredRuns = plugins.expired.runs();
  expect(expiredRuns).toBeGreaterThanOrEqual(2); // re-run once after the 401
  await page.waitForTimeout(3000);
  const expiredRunsLater = plugins.expired.runs();
  expect(expiredRunsLater - expiredRuns, 'the plugin keeps being re-run: a 401 loop').toBeLessThanOrEqual(1);

  await pick(page, 'exec-expired', 'plain-token');
  await expect(sync).toContainText(/synced at RV \d+/, { timeout: 10_000 });
  await pick(page, 'plain-token', 'exec-good');
  await expect(sync).toContainText(/synced at RV \d+/, { timeout: 10_000 });
  await page.goto(`${proxy.origin}/?ctx=exec-good&r=v1/pods&ns=*`);
  const comparison = await expectViewsEqualServer(page, simServerLister(sim), {
    timeoutMs: 20_000,
    filter: (v) => v.context === 'exec-good',
  });
  expect(comparison.objectsCompared).toBeGreaterThan(50);
  const otherWorkMs = Date.now() - hangStarted;

  // The hanging plugin: first "not responding", then the proxy's verdict after its exec timeout.
  await expect(hangTab.getByRole('status').filter({ hasText: 'not responding' })).toBeVisible({
    timeout: 15_000,
  });
  const hung = hangTab.getByRole('alert').filter({ hasText: 'exec-hang is unreachable' });
  await expect(hung).toContainText(/timed out after \d+ ms/, { timeout: 40_000 });
  const hangSaid = [
    (await hangTab.getByRole('status').filter({ hasText: 'Connecting to exec-hang' }).count()) > 0
      ? 'still connecting'
      : '',
    await saidBy(hung),
  ];
  const runs = {
    good: plugins.good.runs(),
    hang: plugins.hang.runs(),
    fail: plugins.fail.runs(),
    expired: plugins.expired.runs(),
  };
  console.log(`fault-3 plugin runs ${JSON.stringify(runs)}; other contexts done in ${otherWorkMs} ms`);
  expect(runs.hang).toBeLessThanOrEqual(2);
  expect(runs.fail).toBeLessThanOrEqual(10);
  expect(otherWorkMs).toBeLessThan(30_000);
  const record = (name: string, uiSaid: string[]) =>
    ledger.record({
      name,
      injected: 1,
      recovered: 1,
      objectsCompared: comparison.objectsCompared,
      mismatches: comparison.mismatches,
      uiSaid: uiSaid.filter(Boolean),
      durationMs: Date.now() - hangStarted,
    });
  record('exec plugin hangs', ['not responding', ...hangSaid]);
  record('exec plugin fails', [failSaid]);
  record('exec plugin missing (installHint)', [missingSaid]);
  record('exec plugin token expired (401)', [expiredSaid]);
  await hangTab.close();
});
