// Starts the simulated cluster (HTTPS, churning) and the built proxy in front of it, then hands
// the proxy's URL and secret to the specs (harness/e2e-state.ts). Builds nothing: `npm run
// test:e2e` is run after `npm run build`. Returns the teardown that stops both (bounded waits).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnUntilReady } from './harness/child-process.ts';
import { type E2eState, STATE_ENV } from './harness/e2e-state.ts';

const SIM_READY = 'kubeglass-sim ready';
const PROXY_READY = 'kubeglass ready:';

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync('dist/proxy/main.js'))
    throw new Error('dist/proxy/main.js is missing: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'kubeglass-e2e-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const sim = await spawnUntilReady(
    process.execPath,
    [
      '--import',
      'tsx',
      'proxy/sim/node/main.ts',
      '--port',
      '0',
      '--churn',
      '20',
      '--pods',
      '100',
      '--kubeconfig-out',
      kubeconfig,
    ],
    { env: process.env, readyPrefix: SIM_READY, timeoutMs: 60_000, name: 'simulated cluster' },
  );
  const secret = randomBytes(32).toString('base64url');
  let proxy: Awaited<ReturnType<typeof spawnUntilReady>>;
  try {
    proxy = await spawnUntilReady(process.execPath, ['dist/proxy/main.js', '--no-open', '--port', '0'], {
      env: { ...process.env, KUBECONFIG: kubeconfig, KUBEGLASS_SESSION_SECRET: secret, HOME: dir },
      readyPrefix: PROXY_READY,
      timeoutMs: 30_000,
      name: 'proxy',
    });
  } catch (err) {
    await sim.stop();
    throw err;
  }
  const url = new URL(proxy.ready);
  const state: E2eState = {
    origin: url.origin,
    url: proxy.ready,
    secret,
    contexts: ['sim-cert', 'sim-token', 'sim-viewer'],
    kubeconfig,
  };
  const stateFile = join(dir, 'state.json');
  writeFileSync(stateFile, JSON.stringify(state));
  process.env[STATE_ENV] = stateFile;
  return async () => {
    await Promise.all([proxy.stop(), sim.stop()]);
    rmSync(dir, { recursive: true, force: true });
  };
}
