// A simulated cluster in a process of its own, for benchmarks that must not share a CPU-bound
// event loop with the client they measure. Seeds, commits --updates pod updates (kept in watch
// history so a watch from the start replays them as fast as the transport allows), serves HTTPS,
// and prints one JSON line: { url, kubeconfig, startRV, updates, token, caPem }.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GVR, seedCluster } from '../../proxy/sim/core/seed.ts';
import { createSimCluster } from '../../proxy/sim/core/sim-cluster.ts';
import { startSimServer } from '../../proxy/sim/node/sim-server.ts';
import type { KubeObject } from '../../src/kube/api/types.ts';

const { values } = parseArgs({
  options: { pods: { type: 'string', default: '2000' }, updates: { type: 'string', default: '20000' } },
});
const pods = Number(values.pods);
const updates = Number(values.updates);

const cluster = createSimCluster({ historyWindow: updates + 10_000, bootstrapNamespaces: false });
seedCluster(cluster, { pods, now: Date.now() });
const startRV = cluster.resourceVersion();
const all = cluster.list(GVR.pods);
for (let i = 0; i < updates; i++) {
  const current = all[i % all.length]!;
  const next = structuredClone(current) as KubeObject;
  next.metadata = { ...next.metadata, labels: { ...next.metadata?.labels, 'bench-step': String(i) } };
  delete next.metadata.resourceVersion;
  all[i % all.length] = cluster.update(GVR.pods, next);
}
const kubeconfig = path.join(mkdtempSync(path.join(tmpdir(), 'kubeglass-bench-')), 'kubeconfig');
const server = await startSimServer({ cluster, kubeconfigOut: kubeconfig });
process.stdout.write(
  `${JSON.stringify({ url: server.url, kubeconfig, startRV, updates, token: server.adminToken, caPem: server.caPem })}\n`,
);
// Control channel: "burst N" on stdin commits N pod updates as fast as the event loop allows (in
// slices, so watches keep streaming meanwhile) and answers "burst-done N" when all are committed.
let stdinTail = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  stdinTail += chunk;
  const lines = stdinTail.split('\n');
  stdinTail = lines.pop() ?? '';
  for (const line of lines) {
    const m = /^burst (\d+)$/.exec(line.trim());
    if (m) burst(Number(m[1]));
  }
});

let step = updates;
function burst(n: number): void {
  let left = n;
  const slice = () => {
    for (let i = 0; i < 500 && left > 0; i++, left--) {
      const idx = step % all.length;
      const next = structuredClone(all[idx]!) as KubeObject;
      next.metadata = { ...next.metadata, labels: { ...next.metadata?.labels, 'bench-step': String(step++) } };
      delete next.metadata.resourceVersion;
      all[idx] = cluster.update(GVR.pods, next);
    }
    if (left > 0) setImmediate(slice);
    else process.stdout.write(`burst-done ${n}\n`);
  };
  slice();
}

const stop = () => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
