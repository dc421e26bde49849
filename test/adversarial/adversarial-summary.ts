// The adversarial suite's figures. Test files run in separate workers, so each file records its
// own part (a JSON file per test file) and then rebuilds the summary from every part on disk:
// whichever file finishes last writes the complete table to test-results/adversarial-summary.json.
// Parts live in the OS temp folder (keyed by this checkout), not under test-results/: Playwright
// empties test-results/ whenever any e2e run starts, which would drop parts mid-run. A part carries the time it
// was written, so a stale part from an earlier run is visible in the JSON rather than silently summed
// with fresh ones (parts older than STALE_MS are left out).

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface Figures {
  /** Hostile requests sent over the network (HTTP requests, upgrades, mux frames, plugin runs). */
  hostileTried: number;
  /** Of those, the ones that met their expected refusal (blocked, or neutralised before upstream). */
  hostileRefused: number;
  /** Generated inputs run through fuzz properties. */
  fuzzCases: number;
  /** Fuzz properties that found a counterexample. */
  fuzzFailures: number;
}

export interface Summary extends Figures {
  parts: Record<string, Figures & { writtenAt: string }>;
}

const ZERO: Figures = { hostileTried: 0, hostileRefused: 0, fuzzCases: 0, fuzzFailures: 0 };
/** Parts older than this belong to an earlier run (the whole suite takes about a minute). */
const STALE_MS = 15 * 60_000;

const ROOT = resolve(import.meta.dirname, '../..');
const RESULTS = join(ROOT, 'test-results');
const PARTS = join(
  tmpdir(),
  'kubeglass-adversarial-parts',
  createHash('sha256').update(ROOT).digest('hex').slice(0, 12),
);
export const SUMMARY_FILE = join(RESULTS, 'adversarial-summary.json');

function readParts(now: number): Summary['parts'] {
  const parts: Summary['parts'] = {};
  let names: string[] = [];
  try {
    names = readdirSync(PARTS).filter((n) => n.endsWith('.json'));
  } catch {
    return parts;
  }
  for (const name of names) {
    try {
      const value = JSON.parse(readFileSync(join(PARTS, name), 'utf8')) as Figures & { writtenAt: string };
      if (now - Date.parse(value.writtenAt) <= STALE_MS) parts[name.replace(/\.json$/, '')] = value;
    } catch {
      // A part being rewritten by another worker at this moment: it will be summed by that worker.
    }
  }
  return parts;
}

// This run's figures per part. Vitest gives every test file a fresh module graph, so this starts at
// zero in each file of each run and the part on disk is overwritten, never summed across runs.
const ownParts = new Map<string, Figures>();

/** Add `figures` to this file's part of this run and rebuild the summary file; returns the summary. */
export function recordFigures(part: string, figures: Partial<Figures>): Summary {
  mkdirSync(PARTS, { recursive: true });
  const now = Date.now();
  const file = join(PARTS, `${part.replace(/[^a-z0-9-]/gi, '_')}.json`);
  const own = ownParts.get(part) ?? { ...ZERO };
  const sum: Figures = {
    hostileTried: own.hostileTried + (figures.hostileTried ?? 0),
    hostileRefused: own.hostileRefused + (figures.hostileRefused ?? 0),
    fuzzCases: own.fuzzCases + (figures.fuzzCases ?? 0),
    fuzzFailures: own.fuzzFailures + (figures.fuzzFailures ?? 0),
  };
  ownParts.set(part, sum);
  const next = { ...sum, writtenAt: new Date(now).toISOString() };
  // Write then rename: another worker reading the folder never sees half a part.
  writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(next));
  renameSync(`${file}.${process.pid}.tmp`, file);
  const parts = readParts(now);
  const total = { ...ZERO };
  for (const p of Object.values(parts)) {
    total.hostileTried += p.hostileTried;
    total.hostileRefused += p.hostileRefused;
    total.fuzzCases += p.fuzzCases;
    total.fuzzFailures += p.fuzzFailures;
  }
  const summary: Summary = { ...total, parts };
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(SUMMARY_FILE, `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

/** The table printed at the end of each suite file (the last one printed holds every part). */
export function formatSummary(s: Summary): string {
  const rows: [string, number][] = [
    ['hostile requests tried', s.hostileTried],
    ['refused (must equal tried)', s.hostileRefused],
    ['fuzz cases run', s.fuzzCases],
    ['fuzz failures (must be 0)', s.fuzzFailures],
  ];
  const lines = rows.map(([k, v]) => `| ${k.padEnd(28)} | ${String(v).padStart(8)} |`);
  return [
    `adversarial summary (${Object.keys(s.parts).length} parts: ${Object.keys(s.parts).sort().join(', ')})`,
    ...lines,
  ].join('\n');
}

/** Rebuild and print the table (call from afterAll: the file that finishes last prints all parts). */
export function printSummary(part: string): Summary {
  const summary = recordFigures(part, {});
  process.stdout.write(`${formatSummary(summary)}\n`);
  return summary;
}
