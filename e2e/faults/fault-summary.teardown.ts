// Runs after the "faults" project (playwright.config.ts): prints the fault suite's summary table
// and fails if any fault left a view different from the server.
import { expect, test } from '@playwright/test';
import { printFaultSummary, rebuildFaultSummary } from './harness/fault-ledger.ts';

test('fault summary: every fault recovered, no mismatches', () => {
  printFaultSummary();
  const { totals } = rebuildFaultSummary();
  expect(totals.mismatches).toBe(0);
  expect(totals.recoveries).toBe(totals.faultsInjected);
});
