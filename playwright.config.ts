import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE } from './e2e/harness/chromium.ts';

// End-to-end tests drive Debian's Chromium (Playwright cannot download browsers here) through the
// proxy against the simulated cluster. e2e/global-setup.ts starts both and stops them afterwards.
//
// Two projects: "e2e" (the explorer and proxy specs, on the shared cluster of global-setup) and
// "faults" (e2e/faults: server and network faults, each spec file on a private cluster it can
// break; see e2e/faults/README.md). "fault-summary" runs after "faults" and prints its table.
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  globalSetup: './e2e/global-setup.ts',
  use: {
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'off',
    launchOptions: {
      executablePath: CHROMIUM_EXECUTABLE,
      args: [...CHROMIUM_ARGS],
    },
  },
  projects: [
    { name: 'e2e', testIgnore: 'faults/**' },
    {
      name: 'faults',
      testDir: 'e2e/faults',
      testMatch: '**/*.spec.ts',
      // A scenario injects, waits for recovery (bounded) and compares every view with the server.
      timeout: 120_000,
      teardown: 'fault-summary',
    },
    { name: 'fault-summary', testDir: 'e2e/faults', testMatch: 'fault-summary.teardown.ts' },
  ],
});
