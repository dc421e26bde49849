// One fault scenario, the same shape for every fault: record what the UI says, inject, wait
// (bounded) until the UI has said what was happening, end the fault, then check that every open
// view equals the server's list, and write the row to the ledger whatever the outcome (a failed
// scenario is recorded as not recovered, with its mismatches, before the test fails).
import type { Page } from '@playwright/test';
import type { FaultLedger } from './fault-ledger.ts';
import { startUiRecorder, uiSaid, waitUntilUiSays } from './ui-status.ts';
import {
  type ExpectViewsOptions,
  expectViewsEqualServer,
  type ServerLister,
  type ViewComparison,
  ViewsDifferError,
} from './view-rows.ts';

export interface FaultScenario {
  page: Page;
  ledger: FaultLedger;
  name: string;
  serverList: ServerLister;
  /** How many injections the scenario counts (e.g. informers hit at once). Default 1. */
  injected?: number;
  inject: () => Promise<void>;
  /** The UI must say something matching this while the fault lasts (checked before `recover`). */
  uiSays?: RegExp;
  uiTimeoutMs?: number;
  /** End the fault (restart what was killed, switch the fault off). */
  recover?: () => Promise<void>;
  compare?: ExpectViewsOptions;
  /** Record every open view's own states too (ui-status.ts viewStates); small views only. */
  perView?: boolean;
}

export async function runFaultScenario(s: FaultScenario): Promise<ViewComparison> {
  const started = Date.now();
  const injected = s.injected ?? 1;
  await startUiRecorder(s.page, { perView: s.perView === true });
  let comparison: ViewComparison | undefined;
  try {
    await s.inject();
    if (s.uiSays) await waitUntilUiSays(s.page, s.uiSays, s.uiTimeoutMs ?? 30_000);
    await s.recover?.();
    comparison = await expectViewsEqualServer(s.page, s.serverList, s.compare);
    return comparison;
  } catch (err) {
    if (err instanceof ViewsDifferError) comparison = err.comparison;
    throw err;
  } finally {
    const said = await uiSaid(s.page).catch(() => [] as string[]);
    const ok = comparison !== undefined && comparison.mismatches === 0;
    s.ledger.record({
      name: s.name,
      injected,
      recovered: ok ? injected : 0,
      objectsCompared: comparison?.objectsCompared ?? 0,
      mismatches: ok ? 0 : Math.max(1, comparison?.mismatches ?? 1),
      uiSaid: said,
      durationMs: Date.now() - started,
    });
  }
}
