// The simulated cluster as a load generator (issue 2): seed speed, a 100,000-pod paged list over
// HTTP, and 50 concurrent watchers while the cluster commits 5,000 pod updates a second.
import http from 'node:http';
import { GVR, seedCluster } from '../proxy/sim/core/seed.ts';
import { createSimCluster, type SimCluster } from '../proxy/sim/core/sim-cluster.ts';
import { startSimServer } from '../proxy/sim/node/sim-server.ts';
import type { KubeObject } from '../src/kube/api/types.ts';
import { type BenchFigure, percentile } from './result.ts';
import type { BenchContext } from './run.ts';

const SENT_AT = 'bench.kubeglass.dev/sent-at';

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

/** Open a watch and record, for each MODIFIED event, the time since the writer stamped it. */
function openWatch(url: string, token: string): Promise<WatchCounter> {
  return new Promise((resolve, reject) => {
    const counter: WatchCounter = { received: 0, lags: [], stop: () => req.destroy() };
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
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
          if (line.length === 0) continue;
          const event = JSON.parse(line) as { type: string; object: KubeObject };
          if (event.type !== 'MODIFIED') continue;
          const sentAt = Number(event.object.metadata?.annotations?.[SENT_AT]);
          counter.received++;
          if (Number.isFinite(sentAt)) counter.lags.push(performance.timeOrigin + performance.now() - sentAt);
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

    // 3. 50 watchers, one per namespace, while the writer commits 5,000 pod updates/s spread over
    //    those namespaces: the server filters every event for every watcher and must keep up.
    const namespaces = summary.namespaces.filter((ns) => !ns.startsWith('kube-')).slice(0, 50);
    const byNamespace = new Map<string, KubeObject[]>();
    for (const pod of cluster.list(GVR.pods)) {
      const ns = pod.metadata?.namespace ?? '';
      if (!namespaces.includes(ns)) continue;
      const list = byNamespace.get(ns) ?? [];
      list.push(pod);
      byNamespace.set(ns, list);
    }
    const targets = namespaces.filter((ns) => (byNamespace.get(ns)?.length ?? 0) > 0);
    const rv = cluster.resourceVersion();
    const watchers = await Promise.all(
      targets.map((ns) =>
        openWatch(`${server.url}/api/v1/namespaces/${ns}/pods?watch=true&resourceVersion=${rv}`, token),
      ),
    );
    const rate = 5_000;
    const seconds = ctx.quick ? 2 : 6;
    const tickMs = 10;
    const perTick = (rate * tickMs) / 1000;
    let sent = 0;
    const expected = new Map<string, number>();
    const started = performance.now();
    let behindMs = 0;
    for (let tick = 0; performance.now() - started < seconds * 1000; tick++) {
      const due = started + tick * tickMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      else behindMs = Math.max(behindMs, -wait);
      for (let i = 0; i < perTick; i++) {
        const ns = targets[sent % targets.length]!;
        const podsOfNs = byNamespace.get(ns)!;
        const current = podsOfNs[Math.floor(sent / targets.length) % podsOfNs.length]!;
        const next = structuredClone(current) as KubeObject;
        // No resourceVersion: an unconditional update, as the churn engine does.
        const { resourceVersion: _rv, ...meta } = next.metadata ?? {};
        next.metadata = { ...meta, annotations: { ...meta.annotations, [SENT_AT]: String(Date.now()) } };
        const stored = cluster.update(GVR.pods, next);
        podsOfNs[podsOfNs.indexOf(current)] = stored;
        expected.set(ns, (expected.get(ns) ?? 0) + 1);
        sent++;
      }
    }
    const writeSec = (performance.now() - started) / 1000;
    // Let the streams drain (bounded).
    const drainDeadline = performance.now() + 10_000;
    const delivered = () => watchers.reduce((n, w) => n + w.received, 0);
    while (delivered() < sent && performance.now() < drainDeadline)
      await new Promise((r) => setTimeout(r, 50));
    const lags = watchers.flatMap((w) => w.lags);
    for (const w of watchers) w.stop();
    ctx.log(
      `${watchers.length} watchers: ${sent} updates in ${writeSec.toFixed(1)} s, delivered ${delivered()}/${sent}, lag p50 ${percentile(lags, 50).toFixed(1)} ms p99 ${percentile(lags, 99).toFixed(1)} ms`,
    );
    figures.push(
      {
        suite: 'sim',
        name: `${watchers.length} watchers: update rate sustained`,
        value: sent / writeSec,
        unit: 'events/s',
        target: { op: '>=', value: rate * 0.95 },
        note: `writer behind schedule by at most ${behindMs.toFixed(0)} ms`,
      },
      {
        suite: 'sim',
        name: `${watchers.length} watchers: events delivered`,
        value: (100 * delivered()) / sent,
        unit: '%',
        target: { op: '>=', value: 100 },
      },
      {
        suite: 'sim',
        name: `${watchers.length} watchers: commit→client lag p99`,
        value: percentile(lags, 99),
        unit: 'ms',
        target: { op: '<=', value: 250 },
        note: `p50 ${percentile(lags, 50).toFixed(1)} ms`,
      },
    );
  } finally {
    await server.close();
    cluster.close();
  }
  return figures;
}
