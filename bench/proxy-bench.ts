// The proxy's cost (issue 3): watch throughput, single-event latency, paged-list time and small-GET
// latency through the proxy versus straight to the simulated cluster, in the same run. The cluster and the proxy
// each run in a process of their own, as they do in real use; this process is only the client.
// Method and fairness rules: bench/README.md, section "proxy".
import http from 'node:http';
import https from 'node:https';
import { loadavg } from 'node:os';
import { WebSocket } from 'ws';
import { MUX_ID_BYTES, WATCH_MUX_PATH } from '../proxy/contract/watch-mux.ts';
import { type BenchFigure, median, percentile } from './result.ts';
import type { BenchContext } from './run.ts';
import { startChild } from './support/child.ts';
import { benchProcessName, cpuSnapshot, cpuUsedBetween } from './support/process-cpu.ts';
import { SimControl } from './support/sim-control.ts';

interface SimInfo {
  url: string;
  kubeconfig: string;
  startRV: string;
  updates: number;
  token: string;
  caPem: string;
}

interface Target {
  label: 'direct' | 'proxy';
  base: string;
  headers: Record<string, string>;
  agent: http.Agent;
  get: typeof http.get;
}

/** Bounds every single wait of this bench: a stuck stream fails the run instead of hanging it. */
const WAIT_MS = 120_000;

/**
 * Counts the newlines of one watch body until `expected` events arrived. The same function
 * consumes every path (direct, proxy, mux), so per-chunk costs are charged identically.
 */
class LineCounter {
  lines = 0;
  bytes = 0;
  constructor(readonly expected: number) {}
  /** True once `expected` lines arrived. */
  add(chunk: Buffer, from = 0): boolean {
    this.bytes += chunk.length - from;
    for (let i = chunk.indexOf(10, from); i >= 0; i = chunk.indexOf(10, i + 1)) this.lines++;
    return this.lines >= this.expected;
  }
}

/** Watch from startRV over HTTP and time until `expected` events arrived; parses nothing. */
function timeWatch(t: Target, path: string, expected: number): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const count = new LineCounter(expected);
    const req = t.get(`${t.base}${path}`, { headers: t.headers, agent: t.agent }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${t.label} watch answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.on('data', (chunk: Buffer) => {
        if (count.add(chunk)) {
          resolve({ ms: performance.now() - started, bytes: count.bytes });
          req.destroy();
        }
      });
      res.on('end', () =>
        reject(new Error(`${t.label} watch ended after ${count.lines}/${expected} events`)),
      );
    });
    req.on('error', (err) => {
      if (count.lines < expected) reject(err);
    });
    req.setTimeout(WAIT_MS, () => req.destroy(new Error(`${t.label} watch timed out`)));
  });
}

/** The same watch through the proxy's WebSocket multiplexer (what the app uses for live views). */
function timeMuxWatch(
  origin: string,
  secret: string,
  path: string,
  expected: number,
): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const count = new LineCounter(expected);
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}${WATCH_MUX_PATH}`, {
      headers: { authorization: `Bearer ${secret}` },
      perMessageDeflate: false,
    });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('mux watch timed out'));
    }, WAIT_MS);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      ws.terminate();
      if (err) reject(err);
      else resolve({ ms: performance.now() - started, bytes: count.bytes });
    };
    ws.on('open', () => ws.send(JSON.stringify({ op: 'open', id: 1, path })));
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) {
        const frame = JSON.parse(data.toString()) as { op: string; status?: number; error?: string };
        if (frame.op === 'headers' && frame.status !== 200)
          finish(new Error(`mux watch answered ${frame.status}`));
        if (frame.op === 'end')
          finish(new Error(`mux watch ended after ${count.lines}/${expected}: ${frame.error}`));
        return;
      }
      if (count.add(data, MUX_ID_BYTES)) finish();
    });
    ws.on('error', (err) => finish(err));
  });
}

function timeGet(t: Target, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = t.get(`${t.base}${path}`, { headers: t.headers, agent: t.agent }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${t.label} GET answered ${res.statusCode}`));
        else resolve(performance.now() - started);
      });
    });
    req.on('error', reject);
    req.setTimeout(WAIT_MS, () => req.destroy(new Error(`${t.label} GET timed out`)));
  });
}

/**
 * List every pod in pages of `limit` and time it. Parses nothing: each page's continue token is
 * read from the start of its body (ListMeta precedes the items), so both paths cost this process
 * the same. Returns the body bytes too, which must be the same on both paths.
 */
async function timeList(t: Target, limit: number): Promise<{ ms: number; bytes: number; pages: number }> {
  const started = performance.now();
  let token = '';
  let bytes = 0;
  let pages = 0;
  do {
    const path = `/api/v1/pods?limit=${limit}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const page = await new Promise<{ bytes: number; head: string }>((resolve, reject) => {
      const req = t.get(`${t.base}${path}`, { headers: t.headers, agent: t.agent }, (res) => {
        let n = 0;
        let head = '';
        res.on('data', (c: Buffer) => {
          if (head.length < 4096) head += c.toString('latin1', 0, Math.min(c.length, 4096));
          n += c.length;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`${t.label} list answered ${res.statusCode}`));
          else resolve({ bytes: n, head });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.setTimeout(WAIT_MS, () => req.destroy(new Error(`${t.label} list timed out`)));
    });
    bytes += page.bytes;
    pages++;
    token = /"continue":"([^"]*)"/.exec(page.head)?.[1] ?? '';
  } while (token !== '' && pages < 10_000);
  return { ms: performance.now() - started, bytes, pages };
}

/** Run `pass`, adding the CPU each process used meanwhile to `totals` (ms by process name). */
async function chargeCpu<T>(totals: Map<string, number>, pass: () => Promise<T>): Promise<T> {
  const before = cpuSnapshot();
  const result = await pass();
  for (const u of cpuUsedBetween(before, cpuSnapshot(), benchProcessName, 0))
    totals.set(u.process, (totals.get(u.process) ?? 0) + u.ms);
  return result;
}

/** Mean CPU ms per pass of each process that used at least `minMs`, busiest first. */
function meanCpu(totals: Map<string, number>, passes: number, minMs: number): string {
  return (
    [...totals]
      .map(([name, ms]) => [name, ms / passes] as const)
      .filter(([, ms]) => ms >= minMs)
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
      .join(', ') || 'per process not available'
  );
}

/** A watch held open from the cluster's current RV; `nextEvent()` resolves at the next line. */
interface LiveWatch {
  nextEvent(): Promise<number>;
  close(): void;
}

function openLiveWatch(t: Target, path: string): Promise<LiveWatch> {
  return new Promise((resolve, reject) => {
    let waiter: ((at: number) => void) | undefined;
    const req = t.get(`${t.base}${path}`, { headers: t.headers, agent: t.agent }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${t.label} live watch answered ${res.statusCode}`));
        res.resume();
        return;
      }
      res.on('data', (chunk: Buffer) => {
        const at = performance.now();
        if (chunk.includes(10) && waiter) {
          const w = waiter;
          waiter = undefined;
          w(at);
        }
      });
      resolve({
        nextEvent: () =>
          new Promise<number>((ok, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`${t.label}: no event within ${WAIT_MS} ms`)),
              WAIT_MS,
            );
            waiter = (at) => {
              clearTimeout(timer);
              ok(at);
            };
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', (err) => reject(err));
  });
}

/**
 * Latency of one event, commit → arrival, on both paths at once: both watches are open when the
 * sim commits one update, so both see the same event. The watch opened first is served first by
 * the sim, so the opening order alternates between the two halves of the samples.
 */
async function eventLatency(
  sim: SimControl,
  direct: Target,
  viaProxy: Target,
  samples: number,
): Promise<{ direct: number[]; proxy: number[] }> {
  const out = { direct: [] as number[], proxy: [] as number[] };
  for (const order of [
    [direct, viaProxy],
    [viaProxy, direct],
  ] as const) {
    const { resourceVersion } = await sim.last();
    const path = `/api/v1/pods?watch=true&resourceVersion=${resourceVersion}`;
    const watches: [Target, LiveWatch][] = [];
    for (const t of order) watches.push([t, await openLiveWatch(t, path)]);
    try {
      for (let i = 0; i < samples / 2; i++) {
        const arrivals = watches.map(([, w]) => w.nextEvent());
        const sent = performance.now();
        await sim.burst(1, WAIT_MS);
        const at = await Promise.all(arrivals);
        for (const [k, [t]] of watches.entries()) out[t.label].push((at[k] ?? Number.NaN) - sent);
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      for (const [, w] of watches) w.close();
    }
  }
  return out;
}

/**
 * PROXY_BENCH_PROFILE_DIR=/dir (diagnosis only): the proxy process writes a V8 CPU profile there
 * when it exits (`--cpu-prof`; NODE_OPTIONS does not allow it).
 */
function proxyProfileArgs(): string[] {
  const dir = process.env.PROXY_BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export async function runProxyBench(ctx: BenchContext): Promise<BenchFigure[]> {
  const updates = ctx.quick ? 5_000 : 30_000;
  // Single rounds of 0.3–0.5 s vary 2× with the machine's load (rounds 54k–112k ev/s in one run),
  // so a median of five swung the ratio 0.72–0.94 between consecutive runs. Eleven still swung it
  // 0.80–1.02 on the same code (2026-11-27, rounds of 36k–116k in one run); 21 rounds.
  const rounds = ctx.quick ? 3 : 21;
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const sim = await startChild(
    process.execPath,
    ['--import', 'tsx', 'bench/support/sim-process.ts', '--pods', '2000', '--updates', String(updates)],
    { ready: (l) => l.startsWith('{') },
  );
  const info = JSON.parse(sim.line) as SimInfo;
  const control = new SimControl(sim);
  const secret = 'bench-session-secret-0123456789abcdef';
  const proxy = await startChild(
    process.execPath,
    [
      ...proxyProfileArgs(),
      '--import',
      'tsx',
      'proxy/src/main.ts',
      '--no-open',
      '--port',
      '0',
      '--kubeconfig',
      info.kubeconfig,
    ],
    {
      env: { ...process.env, KUBEGLASS_SESSION_SECRET: secret },
      ready: (l) => l.includes('kubeglass ready:'),
    },
  );
  try {
    const origin = new URL(proxy.line.slice(proxy.line.indexOf('http'))).origin;
    const direct: Target = {
      label: 'direct',
      base: info.url,
      headers: { authorization: `Bearer ${info.token}` },
      agent: new https.Agent({ keepAlive: true, ca: info.caPem }),
      get: https.get,
    };
    const viaProxy: Target = {
      label: 'proxy',
      base: `${origin}/clusters/sim-token`,
      headers: { authorization: `Bearer ${secret}` },
      agent: new http.Agent({ keepAlive: true }),
      get: http.get,
    };
    const watchPath = `/api/v1/pods?watch=true&resourceVersion=${info.startRV}`;
    const muxPath = `/clusters/sim-token${watchPath}`;
    // One untimed full replay on each path first: the sim encodes each event's JSON on its first
    // replay and reuses it after, and JIT warm-up and connection set-up (the proxy's upstream TLS
    // session, both keep-alive agents) are not what is compared. A shorter warm-up left the first
    // timed pass paying for encoding, on whichever path came first.
    for (const t of [direct, viaProxy]) await timeWatch(t, watchPath, info.updates);
    await timeMuxWatch(origin, secret, muxPath, info.updates);
    const runs = { direct: [] as number[], proxy: [] as number[], mux: [] as number[] };
    // CPU per process and path over all rounds: shows which process bounds each path.
    const cpu = {
      direct: new Map<string, number>(),
      proxy: new Map<string, number>(),
      mux: new Map<string, number>(),
    };
    const charged = <T>(path: keyof typeof cpu, pass: () => Promise<T>): Promise<T> =>
      chargeCpu(cpu[path], pass);
    let bytes = 0;
    for (let i = 0; i < rounds; i++) {
      // Rounds alternate which path goes first, so a drift in machine load hits both alike.
      const order = i % 2 === 0 ? [direct, viaProxy] : [viaProxy, direct];
      for (const t of order) {
        const r = await charged(t.label, () => timeWatch(t, watchPath, info.updates));
        runs[t.label].push((info.updates / r.ms) * 1000);
        bytes = r.bytes;
      }
      const m = await charged('mux', () => timeMuxWatch(origin, secret, muxPath, info.updates));
      runs.mux.push((info.updates / m.ms) * 1000);
    }
    const cpuPerReplay = (path: keyof typeof cpu) => meanCpu(cpu[path], rounds, 5);
    const cpuNote = `CPU ms per replay (mean): direct ${cpuPerReplay('direct')}; proxy ${cpuPerReplay('proxy')}; mux ${cpuPerReplay('mux')}`;
    const directRate = median(runs.direct);
    const proxyRate = median(runs.proxy);
    const muxRate = median(runs.mux);
    const mbPerEvent = bytes / info.updates / 1e6;
    const perRound = (rates: number[]) => rates.map((r) => (r / 1000).toFixed(0)).join(' ');
    ctx.log(
      `watch replay of ${info.updates} pod events, median of ${rounds}: direct ${directRate.toFixed(0)} ev/s (${(directRate * mbPerEvent).toFixed(1)} MB/s; rounds ${perRound(runs.direct)}k), proxy ${proxyRate.toFixed(0)} ev/s (${perRound(runs.proxy)}k), mux ${muxRate.toFixed(0)} ev/s (${perRound(runs.mux)}k)`,
    );
    ctx.log(cpuNote);
    // Each round runs both paths back to back, so their ratio within a round shares its load: shown
    // beside the target figure (the ratio of the medians) as a check on it, not instead of it.
    const pairedRatio = median(runs.proxy.map((p, i) => p / (runs.direct[i] ?? Number.NaN)));
    ctx.log(`median of the per-round ratios proxy/direct: ${pairedRatio.toFixed(2)}`);

    const latencySamples = ctx.quick ? 40 : 200;
    const lat1 = await eventLatency(control, direct, viaProxy, latencySamples);
    ctx.log(
      `one event, commit → arrival: direct p50 ${percentile(lat1.direct, 50).toFixed(2)} ms p99 ${percentile(lat1.direct, 99).toFixed(2)} ms; proxy p50 ${percentile(lat1.proxy, 50).toFixed(2)} ms p99 ${percentile(lat1.proxy, 99).toFixed(2)} ms`,
    );

    // Paged lists (lists, gets and discovery take the proxy's pooled connections), interleaved.
    const listRuns = { direct: [] as number[], proxy: [] as number[] };
    const listCpu = { direct: new Map<string, number>(), proxy: new Map<string, number>() };
    const listBytes = { direct: 0, proxy: 0 };
    let listPages = 0;
    for (let i = 0; i < rounds; i++) {
      for (const t of i % 2 === 0 ? [direct, viaProxy] : [viaProxy, direct]) {
        const r = await chargeCpu(listCpu[t.label], () => timeList(t, 500));
        listRuns[t.label].push(r.ms);
        listBytes[t.label] = r.bytes;
        listPages = r.pages;
      }
    }
    // The simulator serves the same list to both (no churn meanwhile): a byte count that differs
    // means the proxy changed or lost something, and the figures would compare different work.
    if (listBytes.direct !== listBytes.proxy)
      throw new Error(`the list through the proxy had ${listBytes.proxy} bytes, direct ${listBytes.direct}`);
    const listCpuNote = (path: 'direct' | 'proxy') => meanCpu(listCpu[path], rounds, 1);
    const listDirect = median(listRuns.direct);
    const listProxy = median(listRuns.proxy);
    const listNote = `${listPages} pages of 500, ${(listBytes.direct / 1e6).toFixed(1)} MB, median of ${rounds} interleaved rounds; CPU ms per list (mean): direct ${listCpuNote('direct')}; proxy ${listCpuNote('proxy')}`;
    ctx.log(`paged list: direct ${listDirect.toFixed(1)} ms, proxy ${listProxy.toFixed(1)} ms; ${listNote}`);

    const getPath = '/api/v1/namespaces/default/serviceaccounts/default';
    const lat = { direct: [] as number[], proxy: [] as number[] };
    const n = ctx.quick ? 100 : 500;
    for (let i = 0; i < n; i++) {
      lat.direct.push(await timeGet(direct, getPath));
      lat.proxy.push(await timeGet(viaProxy, getPath));
    }
    direct.agent.destroy();
    viaProxy.agent.destroy();
    const load = `load average ${loadBefore.toFixed(1)} → ${(loadavg()[0] ?? Number.NaN).toFixed(1)}`;
    return [
      {
        suite: 'proxy',
        name: 'watch throughput, direct',
        value: directRate,
        unit: 'events/s',
        note: `median of ${rounds} interleaved rounds; ${load}`,
      },
      { suite: 'proxy', name: 'watch throughput, through proxy', value: proxyRate, unit: 'events/s' },
      {
        suite: 'proxy',
        name: 'watch throughput proxy/direct',
        value: proxyRate / directRate,
        unit: '×',
        target: { op: '>=', value: 0.9 },
        note: `ratio of the medians; median of the per-round ratios ${pairedRatio.toFixed(2)}; ${cpuNote}`,
      },
      {
        suite: 'proxy',
        name: 'watch throughput mux/direct',
        value: muxRate / directRate,
        unit: '×',
        note: `WebSocket multiplexer, ${muxRate.toFixed(0)} events/s`,
      },
      {
        suite: 'proxy',
        name: 'one event p50 through proxy',
        value: percentile(lat1.proxy, 50),
        unit: 'ms',
        note: `commit → arrival; direct p50 ${percentile(lat1.direct, 50).toFixed(2)} ms, ${lat1.proxy.length} samples`,
      },
      {
        suite: 'proxy',
        name: 'one event p99 through proxy',
        value: percentile(lat1.proxy, 99),
        unit: 'ms',
        note: `direct p99 ${percentile(lat1.direct, 99).toFixed(2)} ms`,
      },
      {
        suite: 'proxy',
        name: 'paged list time proxy/direct',
        value: listProxy / listDirect,
        unit: '×',
        note: `direct ${listDirect.toFixed(1)} ms, proxy ${listProxy.toFixed(1)} ms; ${listNote}`,
      },
      {
        suite: 'proxy',
        name: 'small GET p50 through proxy',
        value: percentile(lat.proxy, 50),
        unit: 'ms',
        note: `direct p50 ${percentile(lat.direct, 50).toFixed(2)} ms`,
      },
      {
        suite: 'proxy',
        name: 'small GET p99 through proxy',
        value: percentile(lat.proxy, 99),
        unit: 'ms',
        note: `direct p99 ${percentile(lat.direct, 99).toFixed(2)} ms`,
      },
    ];
  } finally {
    control.close();
    await proxy.stop();
    await sim.stop();
  }
}
