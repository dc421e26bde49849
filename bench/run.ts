// `npm run bench`: every benchmark of the project, in one run, on this machine. Prints a table and
// writes bench-results/results.json. `npm run bench -- --only sim,proxy` runs some suites;
// `--quick` shrinks the workloads (for a smoke run; figures are then not comparable to targets).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type BenchFigure, formatTable, passes } from './result.ts';

export interface BenchContext {
  quick: boolean;
  log(message: string): void;
}

type Suite = (ctx: BenchContext) => Promise<BenchFigure[]>;

const SUITES: Record<string, () => Promise<Suite>> = {
  sim: async () => (await import('./sim-bench.ts')).runSimBench,
  proxy: async () => (await import('./proxy-bench.ts')).runProxyBench,
  client: async () => (await import('./client-bench.ts')).runClientBench,
  ui: async () => (await import('./ui-bench.ts')).runUiBench,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const onlyArg = args.find((a) => a.startsWith('--only'));
  const only = onlyArg
    ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : (args[args.indexOf(onlyArg) + 1] ?? '')).split(',')
    : Object.keys(SUITES);
  const unknown = only.filter((s) => !(s in SUITES));
  if (unknown.length > 0) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
  const ctx: BenchContext = {
    quick: args.includes('--quick'),
    log: (m) => console.log(`  · ${m}`),
  };
  const figures: BenchFigure[] = [];
  for (const name of only) {
    console.log(`== ${name}`);
    const suite = await SUITES[name]!();
    const started = performance.now();
    figures.push(...(await suite(ctx)));
    console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
  console.log(`\n${formatTable(figures)}`);
  const outDir = path.resolve('bench-results');
  await mkdir(outDir, { recursive: true });
  const out = path.join(outDir, 'results.json');
  await writeFile(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), quick: ctx.quick, node: process.version, figures }, null, 2)}\n`,
  );
  console.log(`\nwrote ${out}`);
  const missed = figures.filter((f) => passes(f) === false);
  if (missed.length > 0) console.log(`${missed.length} figure(s) missed their target.`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
