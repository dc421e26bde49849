// The client machinery in headless Chromium (issue 4, Performance): the watch decode path, informer
// sync of 50,000 pods, watch throughput into the indexer and IndexedDB persistence, each next to
// its baseline (raw JSON.parse, @kubernetes/client-node 1.4's informer, kubectl) in the same run.
// The simulated cluster runs in a child process; the proxy runs in this process and serves the
// bench page, so the page is same-origin with /clusters/sim-token/ exactly like the app.
// bench/README.md explains every method.
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { type BenchPageApi, type DecodeResult, PAGE_API_GLOBAL } from './browser/page-api.ts';
import { BENCH_PAGE, buildBenchPage } from './browser/page-bundle.ts';
import { type BenchFigure, median } from './result.ts';
import type { BenchContext } from './run.ts';
import { type BenchProxy, startBenchProxy } from './support/bench-proxy.ts';
import { type Child, startChild } from './support/child.ts';
import { clientNodePodInformer } from './support/client-node-informer.ts';
import { type LineReader, readLines } from './support/stdout-lines.ts';
import { runTimed } from './support/timed-command.ts';

const SUITE = 'client';
const CONTEXT = 'sim-token';
const PAGE_SIZE = 500;
const SECRET = 'bench-client-session-secret-0123456789abcdef';
const DATABASE = 'kubeglass-bench-informer-cache';
const FIRST_SCREEN = 100;
const KUBECTL = '/usr/bin/kubectl';
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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
  page: Page,
  timeoutMs: number,
  name: K,
  ...args: Parameters<BenchPageApi[K]>
): Promise<Awaited<ReturnType<BenchPageApi[K]>>> {
  let timer: NodeJS.Timeout | undefined;
  const evaluation = page.evaluate(
    ({ api, fn, argv }) => {
      const target = (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[
        api
      ];
      const method = target?.[fn];
      if (!method) throw new Error(`bench page API has no ${fn}`);
      return method(...argv);
    },
    { api: PAGE_API_GLOBAL, fn: name as string, argv: args as unknown[] },
  ) as Promise<Awaited<ReturnType<BenchPageApi[K]>>>;
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

async function openBenchPage(context: BrowserContext, proxy: BenchProxy, ctx: BenchContext): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => ctx.log(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning')
      ctx.log(`page ${msg.type()}: ${msg.text().slice(0, 300)}`);
  });
  // The proxy exchanges ?token= for the session cookie and redirects to the clean URL.
  const res = await page.goto(`${proxy.origin}/${BENCH_PAGE}?token=${encodeURIComponent(proxy.secret)}`);
  if (res?.status() !== 200) throw new Error(`bench page answered ${res?.status()}`);
  await page.waitForFunction((api) => api in globalThis, PAGE_API_GLOBAL, { timeout: 30_000 });
  return page;
}

const perSecond = (count: number, ms: number) => (count * 1000) / ms;
const mb = (bytes: number) => bytes / 1e6;

// ---- decode path ------------------------------------------------------------------------------

async function decodeFigures(page: Page, info: SimInfo, s: Sizes, ctx: BenchContext): Promise<BenchFigure[]> {
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

// ---- the simulated cluster's control channel --------------------------------------------------

class SimControl {
  readonly #child: Child;
  readonly #lines: LineReader;

  constructor(child: Child) {
    this.#child = child;
    const stdout = child.process.stdout;
    if (!stdout) throw new Error('sim process has no stdout');
    this.#lines = readLines(stdout);
  }

  /** Commit n pod updates; resolves with ms until the sim reported all of them committed. */
  async burst(n: number, timeoutMs: number): Promise<number> {
    const started = performance.now();
    const done = this.#lines.next((l) => l.trim() === `burst-done ${n}`, timeoutMs);
    this.#send(`burst ${n}`);
    await done;
    return performance.now() - started;
  }

  /** resourceVersion and namespace/name of the most recently updated pod. */
  async last(): Promise<{ resourceVersion: string; namespace: string; name: string }> {
    const answer = this.#lines.next((l) => l.startsWith('last '), 10_000);
    this.#send('last');
    const [, rv = '', key = ''] = (await answer).trim().split(' ');
    const [namespace = '', name = ''] = key.split('/');
    if (!rv || !name) throw new Error(`sim answered a malformed "last" line: ${await answer}`);
    return { resourceVersion: rv, namespace, name };
  }

  close(): void {
    this.#lines.close();
  }

  #send(line: string): void {
    const stdin = this.#child.process.stdin;
    if (!stdin || stdin.destroyed) throw new Error('sim process stdin is closed');
    stdin.write(`${line}\n`);
  }
}

// ---- informer sync, watch throughput, persistence ---------------------------------------------

interface OurInformerFigures {
  syncMs: number[];
  watchRate: number;
  burstCommitMs: number;
  persist: Awaited<ReturnType<BenchPageApi['persistStore']>>;
}

async function ourInformer(
  page: Page,
  sim: SimControl,
  info: SimInfo,
  s: Sizes,
  ctx: BenchContext,
): Promise<OurInformerFigures> {
  const syncMs: number[] = [];
  for (let i = 0; i < s.runs; i++) {
    const r = await call(page, 200_000, 'startInformer', { context: CONTEXT, pageSize: PAGE_SIZE });
    if (r.objects !== info.pods)
      throw new Error(`our informer synced ${r.objects} pods, the sim has ${info.pods}`);
    syncMs.push(r.ms);
    ctx.log(`our informer: ${r.objects} pods synced in ${(r.ms / 1000).toFixed(2)} s`);
    if (i < s.runs - 1) await call(page, 30_000, 'stopInformer');
  }
  // Watch throughput: the last informer stays up, its first watch held at the gate while the sim
  // commits the burst; then the watch from the list's RV replays the burst.
  const burstCommitMs = await sim.burst(s.burst, 300_000);
  const last = await sim.last();
  await call(page, 10_000, 'armUpdateCounter', { expected: s.burst });
  const openedAt = await call(page, 10_000, 'openWatchGate');
  const waited = await call(page, 320_000, 'waitUpdates', { timeoutMs: 300_000 });
  const rv = await call(page, 10_000, 'resourceVersionOf', { key: `${last.namespace}/${last.name}` });
  if (rv !== last.resourceVersion) {
    throw new Error(
      `our indexer holds ${last.namespace}/${last.name} at RV ${rv}, the sim at ${last.resourceVersion}`,
    );
  }
  const watchRate = perSecond(s.burst, waited.doneAt - openedAt);
  ctx.log(
    `our informer: ${s.burst} updates applied in ${((waited.doneAt - openedAt) / 1000).toFixed(2)} s (the sim committed them in ${(burstCommitMs / 1000).toFixed(2)} s beforehand)`,
  );
  const persist = await call(page, 120_000, 'persistStore', { databaseName: DATABASE });
  ctx.log(
    `persisted ${persist.objects} pods in ${(persist.ms / 1000).toFixed(2)} s, longest task ${persist.longestTaskMs.toFixed(0)} ms`,
  );
  await call(page, 30_000, 'stopInformer');
  return { syncMs, watchRate, burstCommitMs, persist };
}

async function warmStarts(
  context: BrowserContext,
  proxy: BenchProxy,
  info: SimInfo,
  s: Sizes,
  ctx: BenchContext,
) {
  const results: Awaited<ReturnType<BenchPageApi['warmStart']>>[] = [];
  for (let i = 0; i < s.runs; i++) {
    const page = await openBenchPage(context, proxy, ctx);
    try {
      const r = await call(page, 60_000, 'warmStart', {
        databaseName: DATABASE,
        context: CONTEXT,
        firstN: FIRST_SCREEN,
      });
      if (r.objects !== info.pods)
        throw new Error(`warm start loaded ${r.objects} pods, ${info.pods} were written`);
      results.push(r);
    } finally {
      await page.close();
    }
  }
  return results;
}

interface ClientNodeFigures {
  syncMs: number[];
  watchRate: number;
  burstCommitMs: number;
}

async function clientNode(
  sim: SimControl,
  info: SimInfo,
  s: Sizes,
  ctx: BenchContext,
): Promise<ClientNodeFigures> {
  const syncMs: number[] = [];
  for (let i = 0; i < s.runs; i++) {
    const informer = clientNodePodInformer(info.kubeconfig, CONTEXT);
    try {
      const ms = await informer.sync(info.pods, 300_000);
      syncMs.push(ms);
      ctx.log(`client-node informer: ${info.pods} pods in its cache after ${(ms / 1000).toFixed(2)} s`);
      if (i < s.runs - 1) continue;
      const burstCommitMs = await sim.burst(s.burst, 300_000);
      const last = await sim.last();
      informer.armUpdates(s.burst);
      const openedAt = informer.openWatchGate();
      const waited = await informer.waitUpdates(300_000);
      const rv = informer.resourceVersionOf(last.namespace, last.name);
      if (rv !== last.resourceVersion) {
        throw new Error(
          `client-node's cache holds ${last.namespace}/${last.name} at RV ${rv}, the sim at ${last.resourceVersion}`,
        );
      }
      ctx.log(
        `client-node informer: ${s.burst} updates in ${((waited.doneAt - openedAt) / 1000).toFixed(2)} s (the sim committed them in ${(burstCommitMs / 1000).toFixed(2)} s beforehand)`,
      );
      return { syncMs, watchRate: perSecond(s.burst, waited.doneAt - openedAt), burstCommitMs };
    } finally {
      await informer.stop();
    }
  }
  throw new Error('client-node bench ran no rounds');
}

// ---- the suite --------------------------------------------------------------------------------

export async function runClientBench(ctx: BenchContext): Promise<BenchFigure[]> {
  const s = sizes(ctx.quick);
  const figures: BenchFigure[] = [];
  const seedStarted = performance.now();
  const simChild = await startChild(
    process.execPath,
    [
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
  let browser: Browser | undefined;
  let proxy: BenchProxy | undefined;
  const bundle = await buildBenchPage();
  try {
    ctx.log(`bench page bundled (${(bundle.scriptBytes / 1024).toFixed(0)} KiB)`);
    proxy = await startBenchProxy({ kubeconfig: info.kubeconfig, staticRoot: bundle.dir, secret: SECRET });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext();
    const page = await openBenchPage(context, proxy, ctx);

    figures.push(...(await decodeFigures(page, info, s, ctx)));
    const ours = await ourInformer(page, sim, info, s, ctx);
    await page.close();
    const warm = await warmStarts(context, proxy, info, s, ctx);
    await browser.close();
    browser = undefined;

    const theirs = await clientNode(sim, info, s, ctx);
    const kubectl = await runTimed(
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
    if (kubectl.exitCode !== 0 || kubectl.stdoutLines !== info.pods) {
      throw new Error(
        `kubectl exited ${kubectl.exitCode} after ${kubectl.stdoutLines}/${info.pods} pods: ${kubectl.stderrTail}`,
      );
    }
    ctx.log(`kubectl: ${kubectl.stdoutLines} pods in ${(kubectl.wallMs / 1000).toFixed(1)} s`);

    const oursSync = median(ours.syncMs) / 1000;
    const theirsSync = median(theirs.syncMs) / 1000;
    figures.push(
      {
        suite: SUITE,
        name: `informer sync of ${info.pods} pods, ours (in page, via proxy)`,
        value: oursSync,
        unit: 's',
        note: `median of ${s.runs}: SharedIndexInformer run() until hasSynced() (polled every 5 ms), paged list ${PAGE_SIZE}/page, QPS 20/burst 40 as in the app, through the in-process proxy to the sim over HTTPS`,
      },
      {
        suite: SUITE,
        name: `informer sync of ${info.pods} pods, client-node 1.4 (direct)`,
        value: theirsSync,
        unit: 's',
        note: `median of ${s.runs}: makeInformer(/api/v1/pods, listPodForAllNamespaces) start() until its cache held every pod; Node, straight to the sim (no proxy), one unpaged list`,
      },
      {
        suite: SUITE,
        name: `kubectl get pods -A --chunk-size=${PAGE_SIZE} -o name`,
        value: kubectl.wallMs / 1000,
        unit: 's',
        note: `one run, wall time, straight to the sim${kubectl.maxRssBytes === undefined ? '; RSS not measured (/usr/bin/time missing)' : ''}`,
      },
      ...(kubectl.maxRssBytes === undefined
        ? []
        : [
            {
              suite: SUITE,
              name: 'kubectl get pods: max RSS',
              value: kubectl.maxRssBytes / 1e6,
              unit: 'MB',
              note: '/usr/bin/time -v "Maximum resident set size"',
            },
          ]),
      {
        suite: SUITE,
        name: 'informer sync: ours / client-node',
        value: oursSync / theirsSync,
        unit: '×',
        target: { op: '<=', value: 0.35 },
        note: 'ours goes through the proxy, theirs does not',
      },
      {
        suite: SUITE,
        name: `watch into indexer, ours (${s.burst} MODIFIED)`,
        value: ours.watchRate,
        unit: 'events/s',
        note: `burst committed in the sim first (${perSecond(s.burst, ours.burstCommitMs).toFixed(0)}/s), then the informer's first watch (held after its list) replays it: from letting the watch go until the ${s.burst}th update handler call; final object's RV checked`,
      },
      {
        suite: SUITE,
        name: `watch into cache, client-node 1.4 (${s.burst} MODIFIED)`,
        value: theirs.watchRate,
        unit: 'events/s',
        note: `same method (its Watch held after the list), counted in its 'update' callback; sim committed its burst at ${perSecond(s.burst, theirs.burstCommitMs).toFixed(0)}/s`,
      },
      {
        suite: SUITE,
        name: 'watch throughput: ours / client-node',
        value: ours.watchRate / theirs.watchRate,
        unit: '×',
        target: { op: '>=', value: 2 },
        note: 'one burst each, one client after the other against the same sim; ours through the proxy, theirs direct',
      },
      {
        suite: SUITE,
        name: `persist ${ours.persist.objects}-pod relist to IndexedDB`,
        value: ours.persist.ms / 1000,
        unit: 's',
        target: { op: '<=', value: 4 },
        note: 'IndexedDbInformerPersistence.write(replace) of the synced store, until flush() resolved; Chromium IndexedDB',
      },
      {
        suite: SUITE,
        name: 'persist: longest main-thread task',
        value: ours.persist.longestTaskMs,
        unit: 'ms',
        note: ours.persist.longTaskObserved
          ? `PerformanceObserver 'longtask' during the write: ${ours.persist.longTasks} task(s) over 50 ms`
          : 'NOT MEASURED: this Chromium does not report longtask entries',
      },
      {
        suite: SUITE,
        name: `warm start: first ${FIRST_SCREEN} of ${info.pods} pods`,
        value: median(warm.map((w) => w.firstScreenMs)),
        unit: 'ms',
        target: { op: '<=', value: 300 },
        note: `median of ${s.runs} fresh pages (same profile): open IndexedDbInformerPersistence, loadFirst(${FIRST_SCREEN}) in key order`,
      },
      {
        suite: SUITE,
        name: `warm start: whole store (${info.pods} pods) into an indexer`,
        value: median(warm.map((w) => w.wholeStoreMs)) / 1000,
        unit: 's',
        target: { op: '<=', value: 2.5 },
        note: 'same pages, from opening the persistence: loadFirst, then loadChunked, every chunk parsed, IndexerCache.replace',
      },
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
