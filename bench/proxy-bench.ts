// The proxy's cost (issue 3): watch throughput and small-GET latency through the proxy versus
// straight to the simulated cluster, in the same run. The cluster and the proxy each run in a
// process of their own, as they do in real use; this process is only the client.
import http from 'node:http';
import https from 'node:https';
import { type BenchFigure, median, percentile } from './result.ts';
import type { BenchContext } from './run.ts';
import { startChild } from './support/child.ts';

interface SimInfo {
  url: string;
  kubeconfig: string;
  startRV: string;
  updates: number;
  token: string;
  caPem: string;
}

interface Target {
  label: string;
  base: string;
  headers: Record<string, string>;
  agent: http.Agent;
  get: typeof http.get;
}

/** Watch from startRV and time until `expected` events arrived; counts newlines, parses nothing. */
function timeWatch(t: Target, path: string, expected: number): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let lines = 0;
    let bytes = 0;
    const req = t.get(`${t.base}${path}`, { headers: t.headers, agent: t.agent }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${t.label} watch answered ${res.statusCode}`));
        return;
      }
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
        if (lines >= expected) {
          resolve({ ms: performance.now() - started, bytes });
          req.destroy();
        }
      });
      res.on('end', () => reject(new Error(`${t.label} watch ended after ${lines}/${expected} events`)));
    });
    req.on('error', (err) => {
      if (lines < expected) reject(err);
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`${t.label} watch timed out`)));
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
  });
}

export async function runProxyBench(ctx: BenchContext): Promise<BenchFigure[]> {
  const updates = ctx.quick ? 5_000 : 30_000;
  const sim = await startChild(
    process.execPath,
    ['--import', 'tsx', 'bench/support/sim-process.ts', '--pods', '2000', '--updates', String(updates)],
    { ready: (l) => l.startsWith('{') },
  );
  const info = JSON.parse(sim.line) as SimInfo;
  const secret = 'bench-session-secret-0123456789abcdef';
  const proxy = await startChild(
    process.execPath,
    ['--import', 'tsx', 'proxy/src/main.ts', '--no-open', '--port', '0', '--kubeconfig', info.kubeconfig],
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
    // One untimed replay each first: JIT warm-up and connection set-up (the proxy's upstream TLS
    // session, both keep-alive agents) are not what is compared.
    for (const t of [direct, viaProxy]) await timeWatch(t, watchPath, Math.min(5_000, info.updates));
    const runs = { direct: [] as number[], proxy: [] as number[] };
    let bytes = 0;
    for (let i = 0; i < 3; i++) {
      for (const t of [direct, viaProxy]) {
        const r = await timeWatch(t, watchPath, info.updates);
        runs[t.label as 'direct' | 'proxy'].push((info.updates / r.ms) * 1000);
        bytes = r.bytes;
      }
    }
    const directRate = median(runs.direct);
    const proxyRate = median(runs.proxy);
    const mbPerEvent = bytes / info.updates / 1e6;
    ctx.log(
      `watch replay of ${info.updates} pod events: direct ${directRate.toFixed(0)} ev/s (${(directRate * mbPerEvent).toFixed(1)} MB/s), proxy ${proxyRate.toFixed(0)} ev/s (${(proxyRate * mbPerEvent).toFixed(1)} MB/s)`,
    );

    const getPath = '/api/v1/namespaces/default/serviceaccounts/default';
    const lat = { direct: [] as number[], proxy: [] as number[] };
    const n = ctx.quick ? 100 : 500;
    for (let i = 0; i < n; i++) {
      lat.direct.push(await timeGet(direct, getPath));
      lat.proxy.push(await timeGet(viaProxy, getPath));
    }
    direct.agent.destroy();
    viaProxy.agent.destroy();
    return [
      {
        suite: 'proxy',
        name: 'watch throughput, direct',
        value: directRate,
        unit: 'events/s',
        note: 'median of 3',
      },
      { suite: 'proxy', name: 'watch throughput, through proxy', value: proxyRate, unit: 'events/s' },
      {
        suite: 'proxy',
        name: 'watch throughput proxy/direct',
        value: proxyRate / directRate,
        unit: '×',
        target: { op: '>=', value: 0.9 },
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
    await proxy.stop();
    await sim.stop();
  }
}
