// Against the real sim-process.ts (small): the control channel the client bench relies on.
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, startChild } from './child.ts';
import { startClientNodeProcess } from './client-node-child.ts';
import { SimControl } from './sim-control.ts';
import { readLines } from './stdout-lines.ts';

interface SimInfo {
  url: string;
  kubeconfig: string;
  token: string;
  caPem: string;
  pods: number;
  startRV: string;
}

function getJson(info: SimInfo, path: string): Promise<{ metadata?: { resourceVersion?: string } }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${info.url}${path}`,
      { ca: info.caPem, headers: { authorization: `Bearer ${info.token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => {
          try {
            resolve(JSON.parse(body));
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
  });
}

describe('SimControl over sim-process.ts', () => {
  let child: Child;
  let info: SimInfo;
  let sim: SimControl;

  beforeAll(async () => {
    const script = fileURLToPath(new URL('./sim-process.ts', import.meta.url));
    child = await startChild(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', script, '--pods', '30', '--updates', '5', '--history', '100'],
      {
        ready: (l) => l.startsWith('{'),
        timeoutMs: 60_000,
      },
    );
    info = JSON.parse(child.line) as SimInfo;
    sim = new SimControl(child);
  }, 70_000);

  afterAll(async () => {
    sim?.close();
    await child?.stop();
  });

  it('reports how many pods it seeded', () => {
    expect(info.pods).toBeGreaterThanOrEqual(30);
  });

  it('commits a burst, and "last" names the pod updated last at the RV the API serves', async () => {
    const before = await sim.last();
    const ms = await sim.burst(40, 20_000);
    expect(ms).toBeGreaterThan(0);
    const last = await sim.last();
    expect(Number(last.resourceVersion)).toBeGreaterThan(Number(before.resourceVersion));
    const pod = await getJson(info, `/api/v1/namespaces/${last.namespace}/pods/${last.name}`);
    expect(pod.metadata?.resourceVersion).toBe(last.resourceVersion);
  });

  it('"gc" collects the simulator\'s garbage and says how long it took', async () => {
    const lines = readLines(child.process.stdout!);
    try {
      const answer = lines.next((l) => l.startsWith('gc-'), 20_000);
      child.process.stdin!.write('gc\n');
      expect(await answer).toMatch(/^gc-done \d+$/);
    } finally {
      lines.close();
    }
  });

  it('client-node in its own process syncs, replays a held burst, and holds the last RV', async () => {
    const informer = await startClientNodeProcess(info.kubeconfig, 'sim-token');
    try {
      expect(informer.pid).toBeGreaterThan(0);
      expect(await informer.sync(info.pods, 30_000)).toBeGreaterThan(0);
      await sim.burst(25, 20_000);
      const last = await sim.last();
      await informer.armUpdates(25);
      const openedAt = await informer.openWatchGate();
      const done = await informer.waitUpdates(30_000);
      expect(done.updates).toBe(25);
      expect(done.doneAt).toBeGreaterThanOrEqual(openedAt);
      expect(await informer.resourceVersionOf(last.namespace, last.name)).toBe(last.resourceVersion);
      expect(await informer.resourceVersionOf('nowhere', 'nothing')).toBeUndefined();
      await expect(informer.armUpdates(0)).rejects.toThrow('client-node: N must be a positive integer');
      // The failed command did not wedge the channel.
      await informer.armUpdates(1);
    } finally {
      await informer.stop();
    }
  }, 60_000);
});
