// The control channel's interpreter on an in-process cluster, and once end to end through a sim
// process: snapshot, then a restart with --restore serves the same objects at the same RVs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GVR, seedCluster } from '../core/seed.ts';
import { createSimCluster } from '../core/sim-cluster.ts';
import { buildSimRequest, readWatchEvents } from '../core/sim-request-builder.ts';
import { SimControl } from './sim-control.ts';

function setup() {
  const cluster = createSimCluster({ bootstrapNamespaces: false });
  seedCluster(cluster, { pods: 20, now: Date.parse('2026-01-01T00:00:00Z') });
  const rates: number[] = [];
  const control = new SimControl({ cluster, setChurn: (n) => rates.push(n) });
  return { cluster, control, rates };
}

function reply(line: string): { id: string; ok: boolean; body: string } {
  const m = /^ctl (\d+) (ok|error) (.*)$/.exec(line);
  if (!m) throw new Error(`not a reply: ${line}`);
  return { id: m[1] as string, ok: m[2] === 'ok', body: m[3] as string };
}

describe('SimControl', () => {
  it('answers every request with its id; bad input is an error reply, never a throw', async () => {
    const { control, cluster } = setup();
    expect(reply(await control.execute('7 rv'))).toEqual({
      id: '7',
      ok: true,
      body: JSON.stringify({ resourceVersion: cluster.resourceVersion() }),
    });
    for (const bad of [
      '8 nonsense',
      '9 churn -1',
      '10 faults {',
      '11 faults {"bogus":1}',
      '12 configmaps Bad_NS 3',
    ]) {
      const r = reply(await control.execute(bad));
      expect(r.ok, bad).toBe(false);
      expect(r.body.length).toBeGreaterThan(5);
    }
    expect(await control.execute('no id')).toMatch(/^ctl 0 error /);
    cluster.close();
  });

  it('faults: a patch sets the switches; a bad patch changes none of them', async () => {
    const { control, cluster } = setup();
    expect(
      reply(await control.execute('1 faults {"silenceWatches":true,"watchSplitBytes":5,"latencyMs":3}')).ok,
    ).toBe(true);
    expect(cluster.faults.silenceWatches).toBe(true);
    expect(cluster.faults.watchSplitBytes).toBe(5);
    expect(reply(await control.execute('2 faults {"trickleMs":9,"corruptWatchLines":"x"}')).ok).toBe(false);
    expect(cluster.faults.trickleMs).toBe(0);
    expect(reply(await control.execute('3 reset-faults')).ok).toBe(true);
    expect(cluster.faults.silenceWatches).toBe(false);
    cluster.close();
  });

  it('RC-04: failNext with kind "list" answers lists only, with the code and Retry-After', async () => {
    const { control, cluster } = setup();
    await control.execute(
      '1 faults {"failNext":{"status":429,"count":1,"pathPrefix":"/api/v1/pods","kind":"list"}}',
    );
    const watch = await cluster.handle(buildSimRequest('/api/v1/pods', { query: { watch: 'true' } }));
    expect(watch.status).toBe(200);
    const list = await cluster.handle(buildSimRequest('/api/v1/pods'));
    expect(list.status).toBe(429);
    expect(list.headers['retry-after']).toBe('1');
    expect((await cluster.handle(buildSimRequest('/api/v1/pods'))).status).toBe(200);
    cluster.close();
  });

  it("R-18: expire-all makes every resume from a watcher's last RV a 410", async () => {
    const { control, cluster } = setup();
    const before = cluster.resourceVersion();
    const r = reply(await control.execute('1 expire-all'));
    expect(r.ok).toBe(true);
    expect(Number(JSON.parse(r.body).resourceVersion)).toBeGreaterThan(Number(before));
    const resumed = await cluster.handle(
      buildSimRequest('/api/v1/namespaces/default/pods', {
        query: { watch: 'true', resourceVersion: before },
      }),
    );
    const [event] = await readWatchEvents(resumed, 1);
    expect(event?.type).toBe('ERROR');
    expect((event?.object as { code?: number } | undefined)?.code).toBe(410);
    cluster.close();
  });

  it('creates bulk and big objects, and paces churn', async () => {
    const { control, cluster, rates } = setup();
    expect(reply(await control.execute('1 configmaps bulk-ns 2500 item')).ok).toBe(true);
    expect(cluster.list(GVR.configmaps, 'bulk-ns')).toHaveLength(2500);
    const big = reply(await control.execute('2 big-widget default huge 1500000'));
    expect(big.ok).toBe(true);
    expect(JSON.parse(big.body).bytes).toBeGreaterThanOrEqual(1_500_000);
    expect(reply(await control.execute('3 touch-configmaps bulk-ns 5')).ok).toBe(true);
    await control.execute('4 churn 0');
    await control.execute('5 churn 30');
    expect(rates).toEqual([0, 30]);
    cluster.close();
  });
});

/** A sim process with --control; `send` writes a command and resolves with its reply. */
function startSim(args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'proxy/sim/node/main.ts', '--port', '0', '--control', ...args],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  let next = 1;
  const waitFor = async (re: RegExp): Promise<string> => {
    await expect.poll(() => re.test(out), { timeout: 20_000 }).toBe(true);
    return (re.exec(out) as RegExpExecArray)[0];
  };
  return {
    ready: () => waitFor(/kubeglass-sim ready [^\n]*\n/),
    async send(command: string) {
      const id = next++;
      child.stdin.write(`${id} ${command}\n`);
      return reply(await waitFor(new RegExp(`ctl ${id} [^\\n]*`)));
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      clearTimeout(killer);
    },
  };
}

describe('the sim process with --control and --restore', () => {
  it('restarts from a snapshot with the same latest RV and objects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-control-'));
    const file = join(dir, 'snap.json');
    try {
      const first = startSim(['--pods', '30', '--churn', '200']);
      await first.ready();
      await new Promise((r) => setTimeout(r, 300));
      await first.send('churn 0');
      const snap = await first.send(`snapshot ${file}`);
      expect(snap.ok).toBe(true);
      const { resourceVersion } = JSON.parse(snap.body) as { resourceVersion: string };
      await first.stop();
      const second = startSim(['--churn', '0', '--restore', file]);
      await second.ready();
      expect(JSON.parse((await second.send('rv')).body)).toEqual({ resourceVersion });
      await second.stop();
      expect(JSON.parse(readFileSync(file, 'utf8')).resourceVersion).toBe(resourceVersion);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});
