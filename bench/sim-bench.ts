// The simulated cluster as a load generator (issue 2): seed speed, a 100,000-pod paged list over
// HTTP, and 50 concurrent watchers while the cluster commits 5,000 pod updates a second.
import http from 'node:http';
import https from 'node:https';
import { seedCluster } from '../proxy/sim/core/seed.ts';
import { createSimCluster, type SimCluster } from '../proxy/sim/core/sim-cluster.ts';
import { startSimServer } from '../proxy/sim/node/sim-server.ts';
import { type BenchFigure, percentile } from './result.ts';
import type { BenchContext } from './run.ts';
import { startChild } from './support/child.ts';
import { readLines } from './support/stdout-lines.ts';
import { COMMITTED_AT_ANNOTATION } from './ui/restart-bump.ts';

/** GET a URL over plain HTTP and return the body (the bench's own client: no retries, no parsing). */
function get(url: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(120_000, () => req.destroy(new Error(`timeout: ${url}`)));
  });
}

interface WatchCounter {
  received: number;
  lags: number[];
  stop(): void;
}

const COMMITTED_AT = new RegExp(`"${COMMITTED_AT_ANNOTATION.replace(/[./]/g, (c) => `\\${c}`)}":"(\\d+)"`);

/**
 * Open a watch and record, for each MODIFIED event, the time since the cluster's process stamped
 * it. The commit time is read from the line with a regular expression: the client here must cost
 * as little as possible, it is not what is measured.
 */
function openWatch(url: string, token: string, agent: https.Agent): Promise<WatchCounter> {
  return new Promise((resolve, reject) => {
    const counter: WatchCounter = { received: 0, lags: [], stop: () => req.destroy() };
    const req = https.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`watch answered ${res.statusCode}`));
        return;
      }
      let tail = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const text = tail + chunk;
        let start = 0;
        for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
          const line = text.slice(start, nl);
          start = nl + 1;
          if (!line.startsWith('{"type":"MODIFIED"')) continue;
          counter.received++;
          const m = COMMITTED_AT.exec(line);
          if (m) counter.lags.push(Date.now() - Number(m[1]));
        }
        tail = text.slice(start);
      });
      resolve(counter);
    });
    req.on('error', (err) => {
      if ((err as { code?: string }).code !== 'ECONNRESET') reject(err);
    });
  });
}

function getJson<T>(url: string, token: string, agent: https.Agent): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200)
          reject(new Error(`${url} answered ${res.statusCode}: ${body.slice(0, 200)}`));
        else resolve(JSON.parse(body) as T);
      });
    });
    req.on('error', reject);
  });
}

export async function runSimBench(ctx: BenchContext): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const pods = ctx.quick ? 10_000 : 100_000;

  // 1. Seed.
  const cluster: SimCluster = createSimCluster({ historyWindow: 200_000, bootstrapNamespaces: false });
  const seedStart = performance.now();
  const summary = seedCluster(cluster, { pods, now: Date.now() });
  const seedMs = performance.now() - seedStart;
  ctx.log(
    `seeded ${summary.pods} pods in ${summary.namespaces.length} namespaces in ${(seedMs / 1000).toFixed(1)} s`,
  );
  figures.push({
    suite: 'sim',
    name: `seed ${pods} pods`,
    value: seedMs / 1000,
    unit: 's',
    ...(ctx.quick ? {} : { target: { op: '<=', value: 30 } as const }),
    note: 'seedCluster() through the SimWriter, with deployments, replicasets, services, events',
  });

  const server = await startSimServer({ cluster, tls: false });
  try {
    const token = server.adminToken;

    // 2. Paged list of every pod, 500 per page, as client-go's pager would do it.
    const listStart = performance.now();
    let pages = 0;
    let items = 0;
    let bytes = 0;
    let cont = '';
    do {
      const url = `${server.url}/api/v1/pods?limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
      const res = await get(url, token);
      if (res.status !== 200)
        throw new Error(`list page ${pages} answered ${res.status}: ${res.body.slice(0, 200)}`);
      const list = JSON.parse(res.body) as { items: unknown[]; metadata: { continue?: string } };
      pages++;
      items += list.items.length;
      bytes += res.body.length;
      cont = list.metadata.continue ?? '';
    } while (cont);
    const listSec = (performance.now() - listStart) / 1000;
    ctx.log(
      `listed ${items} pods in ${pages} pages (${(bytes / 1e6).toFixed(0)} MB) in ${listSec.toFixed(1)} s`,
    );
    if (items < summary.pods) throw new Error(`paged list returned ${items} pods, expected ${summary.pods}`);
    figures.push({
      suite: 'sim',
      name: `paged list of ${items} pods (limit=500)`,
      value: items / listSec,
      unit: 'pods/s',
      note: `${pages} pages, ${(bytes / 1e6).toFixed(0)} MB in ${listSec.toFixed(1)} s, client parses each page`,
    });
  } finally {
    await server.close();
    cluster.close();
  }
  figures.push(...(await runWatcherLoad(ctx)));
  return figures;
}

/**
 * 3. 50 watchers, one per application namespace, plus one cluster-wide watcher, while the cluster
 *    commits 5,000 pod updates a second spread over every pod. The cluster runs in a process of
 *    its own (bench/support/sim-process.ts) so that the watchers' client work here does not eat
 *    the server's CPU; each event carries its commit time (Date.now() in the cluster's process),
 *    so commit→receipt lag is measured on one machine clock.
 */
async function runWatcherLoad(ctx: BenchContext): Promise<BenchFigure[]> {
  const rate = 5_000;
  const seconds = ctx.quick ? 3 : 6;
  // seedCluster makes pods/500 application namespaces: 25,000 pods → 50 of them.
  const sim = await startChild(
    process.execPath,
    ['--import', 'tsx', 'bench/support/sim-process.ts', '--pods', '25000', '--updates', '0'],
    { ready: (l) => l.startsWith('{') },
  );
  try {
    const info = JSON.parse(sim.line) as { url: string; token: string; caPem: string };
    const agent = new https.Agent({ ca: info.caPem, keepAlive: true, maxSockets: 100 });
    const nsList = await getJson<{ items: { metadata: { name: string } }[] }>(
      `${info.url}/api/v1/namespaces`,
      info.token,
      agent,
    );
    const appNamespaces = nsList.items
      .map((n) => n.metadata.name)
      .filter((n) => !n.startsWith('kube-') && n !== 'default');
    const rv = (
      await getJson<{ metadata: { resourceVersion: string } }>(
        `${info.url}/api/v1/pods?limit=1`,
        info.token,
        agent,
      )
    ).metadata.resourceVersion;
    const perNamespace = await Promise.all(
      appNamespaces.map((ns) =>
        openWatch(
          `${info.url}/api/v1/namespaces/${ns}/pods?watch=true&resourceVersion=${rv}`,
          info.token,
          agent,
        ),
      ),
    );
    const clusterWide = await openWatch(
      `${info.url}/api/v1/pods?watch=true&resourceVersion=${rv}`,
      info.token,
      agent,
    );
    const lines = readLines(sim.process.stdout!);
    const done = lines.next(
      (l) => l.startsWith('rate-done') || l.startsWith('rate-error'),
      (seconds + 60) * 1000,
    );
    sim.process.stdin!.write(`rate ${rate} ${seconds} 0\n`);
    const doneLine = await done;
    lines.close();
    if (doneLine.startsWith('rate-error')) throw new Error(doneLine);
    const [, committedText, elapsedText] = doneLine.split(' ');
    const committed = Number(committedText);
    const elapsedMs = Number(elapsedText);
    // Let the streams drain (bounded).
    const deadline = performance.now() + 15_000;
    while (clusterWide.received < committed && performance.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const nsReceived = perNamespace.reduce((n, w) => n + w.received, 0);
    const lags = [...perNamespace.flatMap((w) => w.lags), ...clusterWide.lags];
    for (const w of [...perNamespace, clusterWide]) w.stop();
    agent.destroy();
    ctx.log(
      `${perNamespace.length} namespace watchers + 1 cluster-wide: ${committed} updates in ${(elapsedMs / 1000).toFixed(1)} s; cluster-wide got ${clusterWide.received}, namespace watchers ${nsReceived}; lag p50 ${percentile(lags, 50).toFixed(1)} ms p99 ${percentile(lags, 99).toFixed(1)} ms`,
    );
    const watchers = perNamespace.length + 1;
    return [
      {
        suite: 'sim',
        name: `${watchers} watchers: update rate sustained`,
        value: committed / (elapsedMs / 1000),
        unit: 'events/s',
        target: { op: '>=', value: rate * 0.95 },
        note: `${committed} pod updates committed by the cluster's own process`,
      },
      {
        suite: 'sim',
        name: `${watchers} watchers: events delivered (cluster-wide watcher)`,
        value: (100 * clusterWide.received) / committed,
        unit: '%',
        target: { op: '>=', value: 100 },
        note: `namespace watchers together received ${nsReceived} (system-namespace pods have no watcher)`,
      },
      {
        suite: 'sim',
        name: `${watchers} watchers: commit→client lag p99`,
        value: percentile(lags, 99),
        unit: 'ms',
        // "Not falling behind" means no backlog builds up: a server that cannot keep up shows a lag
        // that grows by seconds over a 6 s load, so a p99 under one second is the bound.
        target: { op: '<=', value: 1000 },
        note: `p50 ${percentile(lags, 50).toFixed(1)} ms over ${lags.length} events`,
      },
    ];
  } finally {
    await sim.stop();
  }
}
