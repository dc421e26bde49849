// The fault suite's ledger: one row per injected fault (what was injected, whether the product
// recovered, how many objects were compared with the server and how many differed, and what the UI
// said while it happened). Each spec file (each worker process) writes its own part file and then
// rebuilds test-results/fault-summary.json from every part of this run, so files running in any
// order or in parallel never lose each other's rows.
//
// Parts live in the OS temp folder, keyed by this checkout and by the run: Playwright empties
// test-results/ whenever any run starts (another run in the same checkout would drop them mid-run),
// and the run is named by the state file global-setup creates for it (KUBEGLASS_E2E_STATE, one per
// run, inherited by every worker), so parts of an earlier run never mix in.
//
// formatFaultSummary renders the table the suite prints: faults injected, recoveries, objects
// compared, mismatches (must be 0), plus the hostile-request totals of the adversarial suite
// (test/adversarial, its test-results/adversarial-summary.json) when that file exists.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface FaultRecord {
  /** e.g. "proxy killed mid-watch". Unique within a spec file; recording it again replaces the row. */
  name: string;
  /** How many times the fault was injected in this scenario (e.g. 20 informers hit by one 410 storm = 20). */
  injected: number;
  /** How many of those the product recovered from (views synced again and equal to the server). */
  recovered: number;
  /** Objects compared by namespace/name/resourceVersion between the open views and the server. */
  objectsCompared: number;
  /** Objects that differed (missing, extra, other resourceVersion) at the end. Must be 0. */
  mismatches: number;
  /** Distinct sync-status texts the UI showed while the fault lasted. */
  uiSaid: string[];
  /** Wall time of the scenario, for the report. */
  durationMs?: number;
}

export interface FaultRow extends FaultRecord {
  /** The spec file (part) that recorded it. */
  part: string;
}

export interface HostileTotals {
  tried: number;
  refused: number;
}

export interface FaultSummary {
  faults: FaultRow[];
  totals: { faultsInjected: number; recoveries: number; objectsCompared: number; mismatches: number };
  /** From the adversarial suite's summary, when it has run. */
  hostile: HostileTotals | null;
  writtenAt: string;
}

const ROOT = resolve(import.meta.dirname, '../../..');
const RESULTS = join(ROOT, 'test-results');
const CHECKOUT = createHash('sha256').update(ROOT).digest('hex').slice(0, 12);
/** This run's parts: one folder per global-setup run (or per process when run outside Playwright). */
const PARTS = join(
  tmpdir(),
  'kubeglass-fault-parts',
  CHECKOUT,
  createHash('sha256')
    .update(process.env.KUBEGLASS_E2E_STATE ?? `pid-${process.pid}`)
    .digest('hex')
    .slice(0, 12),
);
export const FAULT_SUMMARY_FILE = join(RESULTS, 'fault-summary.json');
export const ADVERSARIAL_SUMMARY_FILE = join(RESULTS, 'adversarial-summary.json');

function partFile(part: string): string {
  return join(PARTS, `${part.replace(/[^a-z0-9-]/gi, '_')}-${process.pid}.json`);
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function isRecord(value: unknown): value is FaultRow {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    typeof v.part === 'string' &&
    ['injected', 'recovered', 'objectsCompared', 'mismatches'].every((k) => typeof v[k] === 'number') &&
    Array.isArray(v.uiSaid)
  );
}

function readRows(): FaultRow[] {
  let names: string[] = [];
  try {
    names = readdirSync(PARTS).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const rows: FaultRow[] = [];
  for (const name of names.sort()) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(PARTS, name), 'utf8'));
      if (Array.isArray(parsed)) rows.push(...parsed.filter(isRecord));
    } catch {
      // A part being replaced this instant: its writer rebuilds the summary after it.
    }
  }
  return rows;
}

/**
 * Where test/adversarial/adversarial-summary.ts keeps its per-file parts: the OS temp folder keyed
 * by this checkout, because Playwright empties test-results/ (and with it adversarial-summary.json)
 * when an e2e run starts, which in `npm test` is after the adversarial suite ran.
 */
const ADVERSARIAL_PARTS = join(tmpdir(), 'kubeglass-adversarial-parts', CHECKOUT);
/** Parts older than this belong to an earlier run (unit tests, build and e2e take well under it). */
const ADVERSARIAL_STALE_MS = 2 * 60 * 60_000;

function hostileOf(value: unknown): HostileTotals | null {
  const v = value as { hostileTried?: unknown; hostileRefused?: unknown } | null;
  if (typeof v?.hostileTried !== 'number' || typeof v.hostileRefused !== 'number') return null;
  return { tried: v.hostileTried, refused: v.hostileRefused };
}

/**
 * The adversarial suite's hostile-request totals: its summary file when present, otherwise the sum
 * of its fresh parts; null when it has not run.
 */
export function readHostileTotals(
  file = ADVERSARIAL_SUMMARY_FILE,
  partsDir = ADVERSARIAL_PARTS,
): HostileTotals | null {
  try {
    const totals = hostileOf(JSON.parse(readFileSync(file, 'utf8')));
    if (totals) return totals;
  } catch {
    // No summary file (emptied by Playwright, or the suite never ran): try the parts.
  }
  let names: string[] = [];
  try {
    names = readdirSync(partsDir).filter((n) => n.endsWith('.json'));
  } catch {
    return null;
  }
  const sum: HostileTotals = { tried: 0, refused: 0 };
  let found = false;
  for (const name of names) {
    try {
      const parsed = JSON.parse(readFileSync(join(partsDir, name), 'utf8')) as { writtenAt?: unknown };
      const part = hostileOf(parsed);
      const age = Date.now() - Date.parse(String(parsed.writtenAt));
      if (!part || !(age <= ADVERSARIAL_STALE_MS)) continue;
      sum.tried += part.tried;
      sum.refused += part.refused;
      found = true;
    } catch {
      // A part being rewritten right now.
    }
  }
  return found ? sum : null;
}

/** Remove other runs' part folders older than a day (bounded: the temp folder does not grow). */
function pruneOldRuns(): void {
  const runs = join(PARTS, '..');
  let names: string[] = [];
  try {
    names = readdirSync(runs);
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(runs, name);
    try {
      if (dir !== PARTS && Date.now() - statSync(dir).mtimeMs > 24 * 60 * 60_000)
        rmSync(dir, { recursive: true, force: true });
    } catch {
      // Gone already, or another run's: never fatal.
    }
  }
}

/** Sum rows into a summary (pure). */
export function summarize(rows: readonly FaultRow[], hostile: HostileTotals | null): FaultSummary {
  const totals = { faultsInjected: 0, recoveries: 0, objectsCompared: 0, mismatches: 0 };
  for (const r of rows) {
    totals.faultsInjected += r.injected;
    totals.recoveries += r.recovered;
    totals.objectsCompared += r.objectsCompared;
    totals.mismatches += r.mismatches;
  }
  return { faults: [...rows], totals, hostile, writtenAt: new Date().toISOString() };
}

/** Rebuild test-results/fault-summary.json from every part on disk; returns the summary. */
export function rebuildFaultSummary(): FaultSummary {
  const summary = summarize(readRows(), readHostileTotals());
  mkdirSync(RESULTS, { recursive: true });
  writeAtomically(FAULT_SUMMARY_FILE, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

/**
 * One spec file's ledger. `part` names the file (e.g. "server-restarts"); rows recorded here are
 * written to this worker's part file at once, so a crash later in the file keeps them.
 */
export class FaultLedger {
  readonly part: string;
  readonly #rows = new Map<string, FaultRow>();

  constructor(part: string) {
    if (!/^[a-z0-9-]+$/i.test(part))
      throw new Error(`FaultLedger: part must be letters, digits and dashes, got "${part}"`);
    this.part = part;
  }

  record(record: FaultRecord): FaultSummary {
    if (this.#rows.size === 0) pruneOldRuns();
    for (const key of ['injected', 'recovered', 'objectsCompared', 'mismatches'] as const) {
      const n = record[key];
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`FaultLedger: ${key} must be a whole number >= 0, got ${n}`);
    }
    this.#rows.set(record.name, { ...record, uiSaid: [...new Set(record.uiSaid)], part: this.part });
    mkdirSync(PARTS, { recursive: true });
    writeAtomically(partFile(this.part), JSON.stringify([...this.#rows.values()]));
    return rebuildFaultSummary();
  }

  get rows(): readonly FaultRow[] {
    return [...this.#rows.values()];
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** The printed table: one line per fault, then the totals and the hostile-request figures. */
export function formatFaultSummary(summary: FaultSummary): string {
  const header = ['fault', 'injected', 'recovered', 'compared', 'mismatches', 'UI said'];
  const lines = summary.faults.map((r) => [
    r.name,
    String(r.injected),
    String(r.recovered),
    String(r.objectsCompared),
    String(r.mismatches),
    r.uiSaid.slice(0, 3).join(' | ').slice(0, 90),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const row = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const t = summary.totals;
  const out = [
    'Fault suite summary',
    row(header),
    row(widths.map((w) => '-'.repeat(w))),
    ...lines.map(row),
    '',
    `faults injected:  ${t.faultsInjected}`,
    `recoveries:       ${t.recoveries}`,
    `objects compared: ${t.objectsCompared}`,
    `mismatches:       ${t.mismatches} (must be 0)`,
  ];
  if (summary.hostile)
    out.push(
      `hostile requests: ${summary.hostile.tried} tried, ${summary.hostile.refused} refused (must be all)`,
    );
  else out.push('hostile requests: adversarial suite not run (npx vitest run test/adversarial)');
  return out.join('\n');
}

/** Rebuild the summary from disk and print its table to stdout; returns the text. */
export function printFaultSummary(): string {
  const text = formatFaultSummary(rebuildFaultSummary());
  process.stdout.write(`${text}\n`);
  return text;
}
