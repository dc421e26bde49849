// Bounded fuzzing for CI: every property runs a fixed number of cases from a fixed seed (so a CI
// failure reproduces locally) and stops early after its time budget whatever the count.
// KUBEGLASS_FUZZ_SEED and KUBEGLASS_FUZZ_RUNS override the seed and the run count for longer
// local hunts. Runs and failures go into the adversarial summary.
import fc from 'fast-check';
import { recordFigures } from './adversarial-summary.ts';

export const FUZZ_SEED = Number(process.env.KUBEGLASS_FUZZ_SEED ?? 20261126);
const RUNS_OVERRIDE = process.env.KUBEGLASS_FUZZ_RUNS ? Number(process.env.KUBEGLASS_FUZZ_RUNS) : undefined;
/** Per-property wall-clock budget (the brief: each property at most ~5 s). */
export const FUZZ_TIME_LIMIT_MS = 4_000;

/**
 * Check a property within the budget and record it under `part`. Throws fast-check's report
 * (seed, path and the shrunk counterexample) when the property fails.
 */
export async function runFuzz<Ts extends [unknown, ...unknown[]]>(
  part: string,
  property: fc.IAsyncProperty<Ts> | fc.IProperty<Ts>,
  numRuns: number,
): Promise<void> {
  const details = await fc.check(property, {
    seed: FUZZ_SEED,
    numRuns: RUNS_OVERRIDE ?? numRuns,
    interruptAfterTimeLimit: FUZZ_TIME_LIMIT_MS,
    markInterruptAsFailure: false,
  });
  recordFigures(part, { fuzzCases: details.numRuns, fuzzFailures: details.failed ? 1 : 0 });
  if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? 'property failed');
  if (details.numRuns === 0) throw new Error('the property ran no case within its time budget');
}
