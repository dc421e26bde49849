// The client machinery in headless Chromium (issue 4, Performance): the watch decode path, informer
// sync of 50,000 pods, watch throughput into the indexer and IndexedDB persistence, each next to
// its baseline (raw JSON.parse, @kubernetes/client-node 1.4's informer, kubectl) in the same run.
// The simulated cluster and the proxy run in child processes of their own; the proxy serves the
// bench page, so the page is same-origin with /clusters/sim-token/ exactly like the app.
// bench/README.md explains every method.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_EXECUTABLE as CHROMIUM, CHROMIUM_ARGS } from '../e2e/harness/chromium.ts';
import {
  type BenchPageApi,
  type DecodeResult,
  PAGE_API_GLOBAL,
  type WarmStartResult,
  type WatchTransport,
} from './browser/page-api.ts';
import { BENCH_PAGE, buildBenchPage } from './browser/page-bundle.ts';
import { BURST, QPS } from './browser/pod-informer-run.ts';
import { type BenchFigure, median } from './result.ts';
import type { BenchContext } from './run.ts';
import { type BenchProxy, startBenchProxyProcess } from './support/bench-proxy.ts';
import { CdpBrowser, type CdpPage } from './support/cdp-browser.ts';
import { startChild } from './support/child.ts';
import { type ClientNodeProcess, startClientNodeProcess } from './support/client-node-child.ts';
import { benchProcessName, cpuSnapshot, cpuUsedBetween } from './support/process-cpu.ts';
import { SimControl } from './support/sim-control.ts';
import { runTimed } from './support/timed-command.ts';

const SUITE = 'client';
const CONTEXT = 'sim-token';
const PAGE_SIZE = 500;
const SECRET = 'bench-client-session-secret-0123456789abcdef';
const DATABASE = 'kubeglass-bench-informer-cache';
const FIRST_SCREEN = 100;
const KUBECTL = '/usr/bin/kubectl';

interface SimInfo {
  url: string;
  kubeconfig: string;
  startRV: string;
  updates: number;
  token: string;
  caPem: string;
  pods: number;
}

interface Sizes {
  pods: number;
  replay: number;
  burst: number;
  runs: number;
}

function sizes(quick: boolean): Sizes {
  return quick
    ? { pods: 10_000, replay: 5_000, burst: 20_000, runs: 1 }
    : { pods: 50_000, replay: 30_000, burst: 100_000, runs: 3 };
}

/** Call one function of the page's bench API, bounded by timeoutMs. */
async function call<K extends keyof BenchPageApi>(
  page: CdpPage,
  timeoutMs: number,
  name: K,
  ...args: Parameters<BenchPageApi[K]>
): Promise<Awaited<ReturnType<BenchPageApi[K]>>> {
  let timer: NodeJS.Timeout | undefined;
  // The arguments travel as JSON (they are plain options objects); so does the answer.
  const method = `globalThis[${JSON.stringify(PAGE_API_GLOBAL)}]?.[${JSON.stringify(name)}]`;
  const evaluation = page.evaluate<Awaited<ReturnType<BenchPageApi[K]>>>(
    `(() => { const m = ${method}; if (typeof m !== 'function') throw new Error('bench page API has no ' + ${JSON.stringify(name)}); return m(...${JSON.stringify(args)}); })()`,
  );
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`page ${name} did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([evaluation, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function openBenchPage(browser: CdpBrowser, proxy: BenchProxy, ctx: BenchContext): Promise<CdpPage> {
  const page = await browser.newPage();
  page.onError((message) => ctx.log(`page error: ${message.slice(0, 300)}`));
  page.onConsole((type, text) => {
    if (type === 'error' || type === 'warning') ctx.log(`page ${type}: ${text.slice(0, 300)}`);
  });
  // The proxy exchanges ?token= for the session cookie and redirects to the clean URL.
  const status = await page.goto(`${proxy.origin}/${BENCH_PAGE}?token=${encodeURIComponent(proxy.secret)}`);
  if (status !== 200) throw new Error(`bench page answered ${status}`);
  await page.waitFor(
    `${JSON.stringify(PAGE_API_GLOBAL)} in globalThis`,
    30_000,
    'the bench page API is loaded',
  );
  return page;
}

const perSecond = (count: number, ms: number) => (count * 1000) / ms;
const mb = (bytes: number) => bytes / 1e6;

// ---- decode path ------------------------------------------------------------------------------

async function decodeFigures(
  page: CdpPage,
  info: SimInfo,
  s: Sizes,
  ctx: BenchContext,
): Promise<BenchFigure[]> {
  const opts = {
    url: `/clusters/${CONTEXT}/api/v1/pods?watch=true&resourceVersion=${info.startRV}`,
    events: info.updates,
  };
  const capture = await call(page, 120_000, 'capture', opts);
  const bytes = capture.bytes ?? 0;
  ctx.log(
    `captured ${capture.events} watch events, ${mb(bytes).toFixed(1)} MB (${(bytes / capture.events / 1024).toFixed(1)} KiB/event)`,
  );
  const passes: Record<'transport' | 'raw' | 'memory' | 'live', DecodeResult[]> = {
    transport: [],
    raw: [],
    memory: [],
    live: [],
  };
  // Interleaved, so a slow phase of the machine hits every pass alike.
  for (let i = 0; i < s.runs; i++) {
    passes.transport.push(await call(page, 120_000, 'transport', opts));
    passes.raw.push(await call(page, 120_000, 'rawParse'));
    passes.memory.push(await call(page, 120_000, 'decoderFromMemory'));
    passes.live.push(await call(page, 120_000, 'decoderLive', opts));
  }
  await call(page, 10_000, 'release');
  const rate = (rs: DecodeResult[]) => median(rs.map((r) => perSecond(r.events, r.ms)));
  const rates = {
    transport: rate(passes.transport),
    raw: rate(passes.raw),
    memory: rate(passes.memory),
    live: rate(passes.live),
  };
  const bytesPerEvent = bytes / capture.events;
  const label = {
    transport: '(a) fetch transport only',
    raw: '(b) raw TextDecoder+split+JSON.parse',
    memory: '(c) our watch decoder, from memory',
    live: '(d) our watch decoder, live fetch',
  };
  const how = {
    transport: 'fetch through the proxy, body read to the Nth newline, nothing decoded',
    raw: 'captured bytes: one TextDecoder.decode, split("\\n"), JSON.parse per line',
    memory: 'decodeWatchStream over the captured bytes as a ReadableStream of 64 KiB chunks',
    live: 'decodeWatchStream over the fetch body through the proxy',
  };
  const figures: BenchFigure[] = [];
  const runsNote = `median of ${s.runs}, ${capture.events} pod MODIFIED events, ${(bytesPerEvent / 1024).toFixed(1)} KiB each, in Chromium`;
  for (const key of ['transport', 'raw', 'memory', 'live'] as const) {
    figures.push({
      suite: SUITE,
      name: `decode ${label[key]}`,
      value: rates[key],
      unit: 'events/s',
      note: `${how[key]}; ${runsNote}`,
    });
    figures.push({
      suite: SUITE,
      name: `decode ${label[key]}`,
      value: mb(rates[key] * bytesPerEvent),
      unit: 'MB/s',
      note: 'events/s × bytes per event of the captured replay',
    });
  }
  figures.push({
    suite: SUITE,
    name: 'decode: our decoder (c) / raw JSON.parse (b)',
    value: (100 * rates.memory) / rates.raw,
    unit: '%',
    target: { op: '>=', value: 50 },
    note: `same bytes, same page; live decoder (d) / raw (b) = ${((100 * rates.live) / rates.raw).toFixed(0)}%`,
  });
  ctx.log(
    `decode events/s: transport ${rates.transport.toFixed(0)}, raw ${rates.raw.toFixed(0)}, ours ${rates.memory.toFixed(0)} (memory) / ${rates.live.toFixed(0)} (live)`,
  );
  return figures;
}

// ---- informer sync, watch throughput, persistence ---------------------------------------------

/**
 * CLIENT_BENCH_WATCH_TRANSPORT=mux (diagnosis only): our informer's watches go over the proxy's
 * WebSocket multiplexer, as the app sends them, instead of one plain HTTP request per watch (the
 * default, the same kind of transport client-node's informer uses).
 */
function watchTransport(): WatchTransport {
  const value = process.env.CLIENT_BENCH_WATCH_TRANSPORT ?? 'fetch';
  if (value !== 'fetch' && value !== 'mux') {
    throw new Error(`CLIENT_BENCH_WATCH_TRANSPORT must be fetch or mux, not ${value}`);
  }
  return value;
}

/** One sync of a new informer in the page; with `keep`, it stays up for the watch and persist passes. */
async function ourSyncRound(page: CdpPage, info: SimInfo, keep: boolean, ctx: BenchContext): Promise<number> {
  const cpuBefore = cpuSnapshot();
  const r = await call(page, 200_000, 'startInformer', {
    context: CONTEXT,
    pageSize: PAGE_SIZE,
    transport: watchTransport(),
  });
  const cpu = describeCpu(cpuUsedBetween(cpuBefore, cpuSnapshot(), benchProcessName));
  if (!keep) await call(page, 30_000, 'stopInformer');
  if (r.objects !== info.pods)
    throw new Error(`our informer synced ${r.objects} pods, the sim has ${info.pods}`);
  ctx.log(`our informer: ${r.objects} pods synced in ${(r.ms / 1000).toFixed(2)} s; CPU ${cpu}`);
  return r.ms;
}

interface WatchRun {
  rate: number;
  burstCommitMs: number;
  /** CPU per process during the replay (describeCpu), to show which process bound the rate. */
  cpu: string;
}

function describeCpu(used: ReadonlyArray<{ process: string; ms: number }>): string {
  if (used.length === 0) return 'per process not available (no /proc)';
  return used.map((u) => `${u.process} ${(u.ms / 1000).toFixed(1)} s`).join(', ');
}

/**
 * Watch throughput of the running informer: its first watch is held at the gate while the sim
 * commits the burst; then the watch from the list's RV replays the burst.
 */
async function ourWatch(page: CdpPage, sim: SimControl, s: Sizes, ctx: BenchContext): Promise<WatchRun> {
  const burstCommitMs = await sim.burst(s.burst, 300_000);
  const last = await sim.last();
  await call(page, 10_000, 'armUpdateCounter', { expected: s.burst });
  const cpuBefore = cpuSnapshot();
  const waited = await profiled(page, 'watch', ctx, async () => {
    const openedAt = await call(page, 10_000, 'openWatchGate');
    return { openedAt, ...(await call(page, 320_000, 'waitUpdates', { timeoutMs: 300_000 })) };
  });
  const { openedAt } = waited;
  const cpu = cpuUsedBetween(cpuBefore, cpuSnapshot(), benchProcessName);
  const rv = await call(page, 10_000, 'resourceVersionOf', { key: `${last.namespace}/${last.name}` });
  if (rv !== last.resourceVersion) {
    throw new Error(
      `our indexer holds ${last.namespace}/${last.name} at RV ${rv}, the sim at ${last.resourceVersion}`,
    );
  }
  ctx.log(
    `our informer: ${s.burst} updates applied in ${((waited.doneAt - openedAt) / 1000).toFixed(2)} s (the sim committed them in ${(burstCommitMs / 1000).toFixed(2)} s beforehand); CPU ${describeCpu(cpu)}`,
  );
  return { rate: perSecond(s.burst, waited.doneAt - openedAt), burstCommitMs, cpu: describeCpu(cpu) };
}

/**
 * Collect the garbage of earlier rounds in this process (client-node's 50,000 typed pods) and in the
 * page (our stopped informer's store) before a timed round, so that no round runs beside the
 * other side's leftover collection work. Without it our rounds that followed a client-node round
 * were slower than those in a run without client-node, on two cores where a concurrent collector
 * takes half the machine.
 */
async function collectGarbage(page: CdpPage): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function')
    throw new Error('the bench must run with node --expose-gc (npm run bench does)');
  gc();
  await page.send('HeapProfiler.collectGarbage');
}

/**
 * CLIENT_BENCH_PROFILE_DIR=/dir (diagnosis only): a CPU profile of the page while fn runs, written
 * to /dir/NAME.cpuprofile. Without it, or without a name, fn runs unprofiled.
 */
async function profiled<T>(page: CdpPage, name: string | undefined, ctx: BenchContext, fn: () => Promise<T>) {
  const dir = process.env.CLIENT_BENCH_PROFILE_DIR;
  if (!dir || !name) return fn();
  await page.send('Profiler.enable');
  await page.send('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await page.send('Profiler.stop');
    const path = join(dir, `${name}.cpuprofile`);
    writeFileSync(path, JSON.stringify(profile));
    ctx.log(`CPU profile of the page written to ${path}`);
    await page.send('Profiler.disable');
  }
}

async function warmStarts(
  browser: CdpBrowser,
  proxy: BenchProxy,
  info: SimInfo,
  s: Sizes,
  ctx: BenchContext,
) {
  const results: WarmStartResult[] = [];
  for (let i = 0; i < s.runs; i++) {
    const page = await openBenchPage(browser, proxy, ctx);
    try {
      const r = await profiled(page, i === 0 ? 'warm-start' : undefined, ctx, () =>
        call(page, 60_000, 'warmStart', { databaseName: DATABASE, context: CONTEXT, firstN: FIRST_SCREEN }),
      );
      if (r.objects !== info.pods)
        throw new Error(`warm start loaded ${r.objects} pods, ${info.pods} were written`);
      results.push(r);
      ctx.log(
        `warm start: first screen ${r.firstScreenMs.toFixed(0)} ms, whole store ${r.wholeStoreMs.toFixed(0)} ms (read ${r.phases.readMs.toFixed(0)}, parse ${r.phases.parseMs.toFixed(0)}, index ${r.phases.indexMs.toFixed(0)})`,
      );
    } finally {
      await page.close();
    }
  }
  return results;
}

/**
 * One sync of a new client-node informer, in a new process of its own (client-node-process.ts);
 * the caller stops it (or keeps it for the watch pass).
 */
async function clientNodeSyncRound(
  info: SimInfo,
  ctx: BenchContext,
): Promise<{ ms: number; informer: ClientNodeProcess }> {
  const informer = await startClientNodeProcess(info.kubeconfig, CONTEXT);
  try {
    const cpuBefore = cpuSnapshot();
    const ms = await informer.sync(info.pods, 300_000);
    const cpu = describeCpu(cpuUsedBetween(cpuBefore, cpuSnapshot(), benchProcessName));
    ctx.log(
      `client-node informer: ${info.pods} pods in its cache after ${(ms / 1000).toFixed(2)} s; CPU ${cpu}`,
    );
    return { ms, informer };
  } catch (err) {
    await informer.stop();
    throw err;
  }
}

/** The same method as ourWatch, with client-node's Watch held at its gate after the list. */
async function clientNodeWatch(
  informer: ClientNodeProcess,
  sim: SimControl,
  s: Sizes,
  ctx: BenchContext,
): Promise<WatchRun> {
  const burstCommitMs = await sim.burst(s.burst, 300_000);
  const last = await sim.last();
  await informer.armUpdates(s.burst);
  const cpuBefore = cpuSnapshot();
  const openedAt = await informer.openWatchGate();
  const waited = await informer.waitUpdates(300_000);
  const cpu = describeCpu(cpuUsedBetween(cpuBefore, cpuSnapshot(), benchProcessName));
  const rv = await informer.resourceVersionOf(last.namespace, last.name);
  if (rv !== last.resourceVersion) {
    throw new Error(
      `client-node's cache holds ${last.namespace}/${last.name} at RV ${rv}, the sim at ${last.resourceVersion}`,
    );
  }
  ctx.log(
    `client-node informer: ${s.burst} updates in ${((waited.doneAt - openedAt) / 1000).toFixed(2)} s (the sim committed them in ${(burstCommitMs / 1000).toFixed(2)} s beforehand); CPU ${cpu}`,
  );
  return { rate: perSecond(s.burst, waited.doneAt - openedAt), burstCommitMs, cpu };
}

/** Collects one side's per-round times; the first failure ends that side's rounds. */
class Rounds {
  readonly ms: number[] = [];
  error: string | undefined;

  outcome(): Outcome<number[]> {
    if (this.error !== undefined) return { ok: false, error: this.error };
    if (this.ms.length === 0) return { ok: false, error: 'no rounds ran' };
    return { ok: true, value: this.ms };
  }
}

// ---- partial results --------------------------------------------------------------------------

/** A phase's result, or why it has none: one broken phase must not cost the others their figures. */
type Outcome<T> = { ok: true; value: T } | { ok: false; error: string };

async function attempt<T>(ctx: BenchContext, what: string, fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    ctx.log(`${what} FAILED: ${error.split('\n')[0]}`);
    return { ok: false, error: `${what}: ${error.split('\n')[0]?.slice(0, 300)}` };
  }
}

/** A figure that could not be measured: NaN (so a target reads MISSED) and the reason. */
function notMeasured(name: string, unit: string, error: string, target?: BenchFigure['target']): BenchFigure {
  return {
    suite: SUITE,
    name,
    value: Number.NaN,
    unit,
    ...(target ? { target } : {}),
    note: `NOT MEASURED: ${error}`,
  };
}

/** The figure from outcome, or a NOT MEASURED one carrying the first failure among outcomes. */
function figureOf(
  outcomes: Outcome<unknown>[],
  base: Omit<BenchFigure, 'suite' | 'value' | 'note'>,
  measure: () => { value: number; note: string },
): BenchFigure {
  const failed = outcomes.find((o): o is { ok: false; error: string } => !o.ok);
  if (failed) return notMeasured(base.name, base.unit, failed.error, base.target);
  return { suite: SUITE, ...base, ...measure() };
}

// ---- the suite --------------------------------------------------------------------------------

/** The simulator's V8 old-space limit (MiB); the machines have 24 GiB. */
const SIM_HEAP_MB = 8192;

/**
 * CLIENT_BENCH_OURS_ONLY=1 (diagnosis only): skip the decode passes, client-node and kubectl, so a
 * change to our informer or persistence can be measured in a quarter of the time. Every baseline
 * and ratio then reads NOT MEASURED.
 */
const ONLY_OURS_SKIPPED = 'skipped (CLIENT_BENCH_OURS_ONLY is set)';

export async function runClientBench(ctx: BenchContext): Promise<BenchFigure[]> {
  const s = sizes(ctx.quick);
  const oursOnly = process.env.CLIENT_BENCH_OURS_ONLY === '1';
  const figures: BenchFigure[] = [];
  const seedStarted = performance.now();
  const simChild = await startChild(
    process.execPath,
    [
      // Heap room for the load generator: 50,000 pods, each version's JSON, and 110,000 events of
      // watch history with their encoded lines. At Node's default limit its collector ran nearly
      // without pause by the last pass (the simulator's CPU exceeded the wall time of client-node's
      // replay), which timed the simulator's garbage collection, not the client.
      `--max-old-space-size=${SIM_HEAP_MB}`,
      '--import',
      'tsx',
      'bench/support/sim-process.ts',
      '--pods',
      String(s.pods),
      '--updates',
      String(s.replay),
      // Room for a whole burst, replayed to a watch that starts after it was committed.
      '--history',
      String(Math.max(s.replay, s.burst) + 10_000),
    ],
    { ready: (l) => l.startsWith('{'), timeoutMs: 300_000 },
  );
  const info = JSON.parse(simChild.line) as SimInfo;
  if (!Number.isInteger(info.pods) || info.pods < 1)
    throw new Error('sim-process did not report its pod count');
  ctx.log(
    `sim: ${info.pods} pods, ${info.updates} updates in history, ready in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`,
  );
  const sim = new SimControl(simChild);
  let browser: CdpBrowser | undefined;
  let proxy: BenchProxy | undefined;
  const bundle = await buildBenchPage();
  try {
    ctx.log(`bench page bundled (${(bundle.scriptBytes / 1024).toFixed(0)} KiB)`);
    const activeProxy = await startBenchProxyProcess({
      kubeconfig: info.kubeconfig,
      staticRoot: bundle.dir,
      secret: SECRET,
    });
    proxy = activeProxy;
    // Chromium driven over CDP without the Network domain (support/cdp-browser.ts), as a user's
    // browser runs: no DevTools copy of the watch stream.
    const activeBrowser = await CdpBrowser.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    browser = activeBrowser;
    const page = await openBenchPage(activeBrowser, activeProxy, ctx);

    const decode = oursOnly
      ? { ok: false as const, error: ONLY_OURS_SKIPPED }
      : await attempt(ctx, 'decode path', () => decodeFigures(page, info, s, ctx));
    figures.push(
      ...(decode.ok
        ? decode.value
        : [
            notMeasured('decode: our decoder (c) / raw JSON.parse (b)', '%', decode.error, {
              op: '>=',
              value: 50,
            }),
          ]),
    );
    // Sync rounds alternate ours and theirs, so a change in the machine's load hits both sides.
    // Our last informer stays up for the watch and persist passes.
    const ourRounds = new Rounds();
    const theirRounds = new Rounds();
    for (let i = 0; i < s.runs; i++) {
      if (ourRounds.error === undefined) {
        const keep = i === s.runs - 1;
        await collectGarbage(page);
        const r = await attempt(ctx, 'our informer sync', () =>
          profiled(page, i === 0 ? 'sync' : undefined, ctx, () => ourSyncRound(page, info, keep, ctx)),
        );
        if (r.ok) ourRounds.ms.push(r.value);
        else ourRounds.error = r.error;
      }
      if (oursOnly) theirRounds.error = ONLY_OURS_SKIPPED;
      if (theirRounds.error === undefined) {
        await collectGarbage(page);
        const r = await attempt(ctx, 'client-node informer sync', () => clientNodeSyncRound(info, ctx));
        if (r.ok) {
          theirRounds.ms.push(r.value.ms);
          await r.value.informer.stop();
        } else theirRounds.error = r.error;
      }
    }
    const syncs = ourRounds.outcome();
    const theirs = theirRounds.outcome();
    const none: Outcome<never> = { ok: false, error: 'our informer did not sync' };
    const watch = syncs.ok
      ? await attempt(ctx, 'our watch throughput', async () => {
          await collectGarbage(page);
          return ourWatch(page, sim, s, ctx);
        })
      : none;
    const persist = syncs.ok
      ? await attempt(ctx, 'persistence write', async () => {
          const r = await call(page, 120_000, 'persistStore', { databaseName: DATABASE });
          ctx.log(
            `persisted ${r.objects} pods in ${(r.ms / 1000).toFixed(2)} s, longest task ${r.longestTaskMs.toFixed(0)} ms`,
          );
          return r;
        })
      : none;
    // Ours stops before client-node's burst, so it does not compete for the CPU during theirs.
    await attempt(ctx, 'stopping our informer', () => call(page, 30_000, 'stopInformer'));
    // client-node's watch pass needs an informer listed after our burst: one listed earlier would
    // replay our burst too. So a fresh one syncs (untimed) and then takes its own burst.
    const theirWatch: Outcome<WatchRun> = theirs.ok
      ? await attempt(ctx, 'client-node watch throughput', async () => {
          const { informer } = await clientNodeSyncRound(info, ctx);
          await collectGarbage(page);
          try {
            return await clientNodeWatch(informer, sim, s, ctx);
          } finally {
            await informer.stop();
          }
        })
      : { ok: false, error: 'the client-node informer did not sync' };
    await page.close();
    const warm = persist.ok
      ? await attempt(ctx, 'warm start', () => warmStarts(activeBrowser, activeProxy, info, s, ctx))
      : { ok: false as const, error: 'nothing was persisted' };
    await browser.close();
    browser = undefined;

    const kubectl = await attempt(ctx, 'kubectl', async () => {
      if (oursOnly) throw new Error(ONLY_OURS_SKIPPED);
      const r = await runTimed(
        KUBECTL,
        [
          '--kubeconfig',
          info.kubeconfig,
          '--context',
          CONTEXT,
          'get',
          'pods',
          '-A',
          `--chunk-size=${PAGE_SIZE}`,
          '-o',
          'name',
        ],
        { timeoutMs: 600_000, measureRss: true },
      );
      if (r.exitCode !== 0 || r.stdoutLines !== info.pods) {
        throw new Error(
          `kubectl exited ${r.exitCode} after ${r.stdoutLines}/${info.pods} pods: ${r.stderrTail}`,
        );
      }
      ctx.log(`kubectl: ${r.stdoutLines} pods in ${(r.wallMs / 1000).toFixed(1)} s`);
      return r;
    });

    const oursSync = () => (syncs.ok ? median(syncs.value) / 1000 : Number.NaN);
    const theirsSync = () => (theirs.ok ? median(theirs.value) / 1000 : Number.NaN);
    const ourRate = () => (watch.ok ? watch.value.rate : Number.NaN);
    const theirRate = () => (theirWatch.ok ? theirWatch.value.rate : Number.NaN);
    figures.push(
      figureOf(
        [syncs],
        { name: `informer sync of ${info.pods} pods, ours (in page, via proxy)`, unit: 's' },
        () => ({
          value: oursSync(),
          note: `median of ${s.runs}: SharedIndexInformer run() until hasSynced() (polled every 5 ms), paged list ${PAGE_SIZE}/page fetched ahead, QPS ${QPS}/burst ${BURST} as in the app, through the in-process proxy to the sim over HTTPS`,
        }),
      ),
      figureOf(
        [theirs],
        { name: `informer sync of ${info.pods} pods, client-node 1.4 (direct)`, unit: 's' },
        () => ({
          value: theirsSync(),
          note: `median of ${s.runs}: makeInformer-style ListWatch(/api/v1/pods, listPodForAllNamespaces) start() until its cache held every pod; Node, straight to the sim (no proxy), one unpaged list`,
        }),
      ),
      figureOf(
        [kubectl],
        { name: `kubectl get pods -A --chunk-size=${PAGE_SIZE} -o name`, unit: 's' },
        () => ({
          value: kubectl.ok ? kubectl.value.wallMs / 1000 : Number.NaN,
          note: 'one run, wall time, straight to the sim',
        }),
      ),
      figureOf([kubectl], { name: 'kubectl get pods: max RSS', unit: 'MB' }, () => {
        const rss = kubectl.ok ? kubectl.value.maxRssBytes : undefined;
        return rss === undefined
          ? { value: Number.NaN, note: 'NOT MEASURED: /usr/bin/time is not installed' }
          : { value: rss / 1e6, note: '/usr/bin/time -v "Maximum resident set size"' };
      }),
      figureOf(
        [syncs, theirs],
        { name: 'informer sync: ours / client-node', unit: '×', target: { op: '<=', value: 0.35 } },
        () => ({ value: oursSync() / theirsSync(), note: 'ours goes through the proxy, theirs does not' }),
      ),
      figureOf([watch], { name: `watch into indexer, ours (${s.burst} MODIFIED)`, unit: 'events/s' }, () => ({
        value: ourRate(),
        note: `burst committed in the sim first (${watch.ok ? perSecond(s.burst, watch.value.burstCommitMs).toFixed(0) : '?'}/s), then the informer's first watch (held after its list) replays it: from letting the watch go until the ${s.burst}th update handler call; final object's RV checked; CPU meanwhile: ${watch.ok ? watch.value.cpu : '?'}`,
      })),
      figureOf(
        [theirWatch],
        { name: `watch into cache, client-node 1.4 (${s.burst} MODIFIED)`, unit: 'events/s' },
        () => ({
          value: theirRate(),
          note: `same method (its Watch held after the list), counted in its 'update' callback; sim committed its burst at ${theirWatch.ok ? perSecond(s.burst, theirWatch.value.burstCommitMs).toFixed(0) : '?'}/s; CPU meanwhile: ${theirWatch.ok ? theirWatch.value.cpu : '?'}`,
        }),
      ),
      figureOf(
        [watch, theirWatch],
        { name: 'watch throughput: ours / client-node', unit: '×', target: { op: '>=', value: 2 } },
        () => ({
          value: ourRate() / theirRate(),
          note: 'one burst each, one client after the other against the same sim; ours through the proxy, theirs direct',
        }),
      ),
      figureOf(
        [persist],
        { name: `persist ${info.pods}-pod relist to IndexedDB`, unit: 's', target: { op: '<=', value: 4 } },
        () => ({
          value: persist.ok ? persist.value.ms / 1000 : Number.NaN,
          note: 'WorkerInformerPersistence.write(replace) of the synced store (IndexedDB in a worker, as the app), until flush() resolved; Chromium IndexedDB',
        }),
      ),
      figureOf([persist], { name: 'persist: longest main-thread task', unit: 'ms' }, () =>
        persist.ok && persist.value.longTaskObserved
          ? {
              value: persist.value.longestTaskMs,
              note: `PerformanceObserver 'longtask' during the write: ${persist.value.longTasks} task(s) over 50 ms`,
            }
          : { value: Number.NaN, note: 'NOT MEASURED: this Chromium does not report longtask entries' },
      ),
      figureOf(
        [warm],
        {
          name: `warm start: first ${FIRST_SCREEN} of ${info.pods} pods`,
          unit: 'ms',
          target: { op: '<=', value: 300 },
        },
        () => ({
          value: warm.ok ? median(warm.value.map((w) => w.firstScreenMs)) : Number.NaN,
          note: `median of ${s.runs} fresh pages (same profile): start the persistence worker (WorkerInformerPersistence, as the app), loadFirst(${FIRST_SCREEN}) in key order`,
        }),
      ),
      figureOf(
        [warm],
        {
          name: `warm start: whole store (${info.pods} pods) into an indexer`,
          unit: 's',
          target: { op: '<=', value: 2.5 },
        },
        () => {
          const w = warm.ok ? warm.value : [];
          const phase = (pick: (p: WarmStartResult['phases']) => number) =>
            median(w.map((r) => pick(r.phases))).toFixed(0);
          return {
            value: median(w.map((r) => r.wholeStoreMs)) / 1000,
            note: `same pages, from opening the persistence: loadFirst, then loadChunked, every chunk parsed, IndexerCache.replace (medians: read ${phase((p) => p.readMs)} ms, parse ${phase((p) => p.parseMs)} ms, index ${phase((p) => p.indexMs)} ms)`,
          };
        },
      ),
    );
    return figures;
  } finally {
    await browser?.close().catch(() => {});
    await proxy?.close().catch(() => {});
    await bundle.dispose();
    sim.close();
    await simChild.stop();
  }
}
