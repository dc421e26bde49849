// A simulated cluster in a process of its own, for benchmarks that must not share a CPU-bound
// event loop with the client they measure. Seeds, commits --updates pod updates (kept in watch
// history so a watch from the start replays them as fast as the transport allows), serves HTTPS,
// and prints one JSON line: { url, kubeconfig, startRV, updates, token, caPem, pods }.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { objectJson } from '../../proxy/sim/core/object-json.ts';
import { GVR, seedCluster } from '../../proxy/sim/core/seed.ts';
import { createSimCluster } from '../../proxy/sim/core/sim-cluster.ts';
import { buildSimRequest } from '../../proxy/sim/core/sim-request-builder.ts';
import { startSimServer } from '../../proxy/sim/node/sim-server.ts';
import type { KubeObject } from '../../src/kube/api/types.ts';
import { RateSchedule } from '../ui/rate-schedule.ts';
import { bumpRestarts } from '../ui/restart-bump.ts';

const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '2000' },
    updates: { type: 'string', default: '20000' },
    // Events kept for watches from an old resourceVersion; default: the pre-committed updates + 10,000.
    history: { type: 'string' },
  },
});
const pods = Number(values.pods);
const updates = Number(values.updates);
const history = values.history === undefined ? updates + 10_000 : Number(values.history);
if (!Number.isInteger(history) || history < 1)
  throw new Error(`--history must be a positive integer, got ${values.history}`);

const cluster = createSimCluster({ historyWindow: history, bootstrapNamespaces: false });
seedCluster(cluster, { pods, now: Date.now() });
const startRV = cluster.resourceVersion();
/** A copy of pod with a new bench-step label and no resourceVersion (the update assigns one). */
function nextStep(pod: KubeObject, n: number): KubeObject {
  const next = structuredClone(pod) as KubeObject;
  const { resourceVersion: _unused, ...metadata } = next.metadata ?? {};
  next.metadata = { ...metadata, labels: { ...metadata.labels, 'bench-step': String(n) } };
  return next;
}
const all = cluster.list(GVR.pods);
for (let i = 0; i < updates; i++) {
  const current = all[i % all.length]!;
  all[i % all.length] = cluster.update(GVR.pods, nextStep(current, i));
}
// Encode every pod once now (objectJson caches each stored version's text). Otherwise the first
// timed list of the bench, always ours, would pay the simulator's JSON.stringify of 50,000 pods
// and every later list (theirs included) would not.
for (const pod of cluster.list(GVR.pods)) objectJson(pod);
const kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), 'kubeglass-bench-')), 'kubeconfig');
const server = await startSimServer({ cluster, kubeconfigOut: kubeconfig });
process.stdout.write(
  `${JSON.stringify({ url: server.url, kubeconfig, startRV, updates, token: server.adminToken, caPem: server.caPem, pods: all.length })}\n`,
);
// Control channel: "burst N" on stdin commits N pod updates as fast as the event loop allows (in
// slices, so watches keep streaming meanwhile) and answers "burst-done N" when all are committed.
// "last" answers "last <resourceVersion> <namespace/name>" of the most recently updated pod, so a
// client can check that it applied the final update and not just enough of them.
// "focus NS/NAME ..." names the pods a paced load aims part of its updates at (answers "focus-ok N"
// or "focus-error MESSAGE"); "rate R SECONDS [FRACTION]" commits R pod updates per second for
// SECONDS, FRACTION of them (default 0.1) to the focus pods, each update raising the pod's first
// container restartCount by one and stamping its commit time (Date.now()) in an annotation
// (bench/ui/restart-bump.ts). When done it answers one line:
// "rate-done COMMITTED ELAPSED_MS {"NS/NAME":[commit times of that focus pod's updates, in order]}".
// Bad arguments answer "rate-error MESSAGE".
// "gc" collects the simulator's garbage now (it needs node --expose-gc) and answers "gc-done MS",
// or "gc-error MESSAGE": a driver calls it before a timed load so that the debt of seeding 50,000
// pods is not paid in a collection pause inside the load. A real API server's collector does not
// stop it for tens of milliseconds; this one's does (--trace-gc: incremental marking steps of up
// to 64 ms and scavenges of up to 43 ms with a 1.5 GB heap).
let stdinTail = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  stdinTail += chunk;
  const lines = stdinTail.split('\n');
  stdinTail = lines.pop() ?? '';
  for (const line of lines) {
    const m = /^burst (\d+)$/.exec(line.trim());
    if (m) burst(Number(m[1]));
    else if (line.trim() === 'last') reportLast();
    else if (line.startsWith('focus ')) setFocus(line.trim().split(/\s+/).slice(1));
    else if (line.startsWith('rate ')) startRate(line.trim().split(/\s+/).slice(1));
    else if (line.trim() === 'gc') collectGarbage();
  }
});

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') {
    process.stdout.write('gc-error the simulator runs without --expose-gc\n');
    return;
  }
  const started = performance.now();
  gc();
  process.stdout.write(`gc-done ${(performance.now() - started).toFixed(0)}\n`);
}

let step = updates;
let last: KubeObject | undefined = all.length > 0 ? all[(step - 1 + all.length) % all.length] : undefined;
function reportLast(): void {
  const meta = last?.metadata;
  process.stdout.write(`last ${meta?.resourceVersion ?? ''} ${meta?.namespace ?? ''}/${meta?.name ?? ''}\n`);
}

function burst(n: number): void {
  let left = n;
  const fromRv = cluster.resourceVersion();
  const started = performance.now();
  const slice = () => {
    for (let i = 0; i < 500 && left > 0; i++, left--) {
      const idx = step % all.length;
      all[idx] = cluster.update(GVR.pods, nextStep(all[idx]!, step++));
      last = all[idx];
    }
    if (left > 0) {
      setImmediate(slice);
      return;
    }
    const commitMs = performance.now() - started;
    encodeWatchLines(fromRv, n).then(
      () => process.stdout.write(`burst-done ${n} ${commitMs.toFixed(1)}\n`),
      (err: unknown) =>
        process.stdout.write(`burst-error ${n} ${err instanceof Error ? err.message : String(err)}\n`),
    );
  };
  slice();
}

/**
 * Replay the `events` events after fromRv to an in-process watcher and drop them. The simulator
 * encodes each event's watch line on its first replay and keeps it for every later watcher (as an
 * apiserver's watch cache keeps encoded events), so the client whose watch then replays the burst
 * is timed on sending, not on JSON.stringify of every pod: without this the simulator's CPU was
 * busy for 7.8 s of an 8.6 s replay to our informer, which timed the simulator, not the client.
 */
async function encodeWatchLines(fromRv: string, events: number): Promise<void> {
  const abort = new AbortController();
  const res = await cluster.handle(
    buildSimRequest('/api/v1/pods', {
      query: { watch: 'true', resourceVersion: fromRv },
      signal: abort.signal,
    }),
  );
  if (res.status !== 200 || typeof res.body !== 'object' || !(Symbol.asyncIterator in res.body)) {
    throw new Error(`the encoding watch was answered ${res.status}`);
  }
  let seen = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<string | Uint8Array>) {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) seen++;
      if (seen >= events) break;
    }
  } finally {
    abort.abort();
  }
  if (seen < events) throw new Error(`the encoding watch ended after ${seen} of ${events} events`);
}

let focus: number[] = [];
function setFocus(keys: string[]): void {
  const index = new Map(all.map((p, i) => [`${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`, i]));
  const picked: number[] = [];
  for (const key of keys) {
    const i = index.get(key);
    if (i === undefined) {
      process.stdout.write(`focus-error no pod ${key}\n`);
      return;
    }
    if (!picked.includes(i)) picked.push(i);
  }
  focus = picked;
  process.stdout.write(`focus-ok ${focus.length}\n`);
}

let rateRunning = false;
function startRate(args: string[]): void {
  if (rateRunning) {
    process.stdout.write('rate-error a paced load is already running\n');
    return;
  }
  let schedule: RateSchedule;
  try {
    const [rate, seconds, fraction] = args.map(Number);
    schedule = new RateSchedule({
      rate: rate ?? Number.NaN,
      seconds: seconds ?? Number.NaN,
      focusFraction: fraction ?? 0.1,
      podCount: all.length,
      focus,
    });
  } catch (err) {
    process.stdout.write(`rate-error ${err instanceof Error ? err.message : String(err)}\n`);
    return;
  }
  rateRunning = true;
  const commits: Record<string, number[]> = {};
  const started = performance.now();
  // Every 2 ms, commit the updates due by now: the load stays within a few updates of R·t even
  // when a slice runs late, and the loop ends when the schedule is exhausted.
  const tick = () => {
    for (let n = schedule.due(performance.now() - started); n > 0; n--) {
      const u = schedule.next();
      if (!u) break;
      const committedAt = Date.now();
      const updated = cluster.update(GVR.pods, bumpRestarts(all[u.pod]!, committedAt).pod);
      all[u.pod] = updated;
      last = updated;
      step++;
      if (u.focus) {
        const key = `${updated.metadata?.namespace ?? ''}/${updated.metadata?.name ?? ''}`;
        const times = commits[key] ?? [];
        times.push(committedAt);
        commits[key] = times;
      }
    }
    if (schedule.issued < schedule.total) {
      setTimeout(tick, 2);
      return;
    }
    rateRunning = false;
    const elapsed = performance.now() - started;
    process.stdout.write(`rate-done ${schedule.issued} ${elapsed.toFixed(0)} ${JSON.stringify(commits)}\n`);
  };
  tick();
}

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
