// One measured figure of `npm run bench`. Every figure is measured in this run; targets come from
// the issues and are checked here, never in timed unit tests.

export interface BenchFigure {
  suite: string;
  name: string;
  value: number;
  unit: string;
  /** The target this figure is held to, if any. */
  target?: { op: '<=' | '>='; value: number };
  /** Free text: how it was measured, the baseline it was compared with. */
  note?: string;
}

export function passes(f: BenchFigure): boolean | undefined {
  if (!f.target) return undefined;
  return f.target.op === '<=' ? f.value <= f.target.value : f.value >= f.target.value;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export function formatTable(figures: BenchFigure[]): string {
  const rows = figures.map((f) => {
    const ok = passes(f);
    return [
      f.suite,
      f.name,
      `${round(f.value)} ${f.unit}`,
      f.target ? `${f.target.op} ${f.target.value} ${f.unit}` : '',
      ok === undefined ? '' : ok ? 'ok' : 'MISSED',
    ];
  });
  const header = ['suite', 'figure', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function round(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}
