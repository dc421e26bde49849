// A private cluster for fault scenarios: the simulated cluster as a child process driven through
// its stdin control channel (proxy/sim/node/sim-control.ts: churn, fault switches, compaction,
// bulk objects, snapshots), and the built proxy (dist/proxy/main.js, as e2e/global-setup.ts
// starts it) as a child that can be killed and restarted on the SAME port with the SAME session
// secret, so the open page keeps its cookie. The sim can be restarted on its port too, from a
// snapshot (same objects and resourceVersions) or from scratch (RVs reset to small numbers); it
// rewrites the kubeconfig at the same path and the proxy reloads it.
//
// serverList() lists what the sim holds for a view directly over HTTPS with the kubeconfig's
// admin token, for the comparison in view-rows.ts. Everything binds 127.0.0.1; every wait is
// bounded; stop() (call it in afterAll) ends both children.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { parse as parseYaml } from 'yaml';
import { SESSION_QUERY_PARAM } from '../../../proxy/contract/api.ts';
import type { FaultPatch } from '../../../proxy/sim/node/sim-control.ts';
import { type ReadyProcess, spawnUntilReady } from '../../harness/child-process.ts';
import type { OpenView, ServerList, ServerLister, ViewRow } from './view-rows.ts';

const SIM_READY = 'kubeglass-sim ready';
const PROXY_READY = 'kubeglass ready:';
const CONTROL_TIMEOUT_MS = 60_000;

export interface FaultClusterOptions {
  /** Pods to seed (default 60). */
  pods?: number;
  /** Churn writes per second (default 20). */
  churn?: number;
  /** Application namespaces to seed (default: the seed's choice). */
  namespaces?: number;
  /** Watch history kept, in events (default: the sim's). */
  historyWindow?: number;
}

/** The switches `faults` sets on the sim: the control channel's own type. */
export type { FaultPatch };

/** A sim child with its control channel: send() writes "<id> <command>" and awaits "ctl <id> …". */
class SimProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;
  #stderr = '';

  private constructor(child: ChildProcessWithoutNullStreams, url: string) {
    this.child = child;
    this.url = url;
  }

  static async start(args: string[]): Promise<SimProcess> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'proxy/sim/node/main.ts', '--control', ...args],
      {
        env: process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-4000);
    });
    let sim: SimProcess | undefined;
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`simulated cluster was not ready within 60 s\n${stderr}`));
      }, 60_000);
      child.stdout.on('data', (b: Buffer) => {
        buffered += b.toString();
        let nl = buffered.indexOf('\n');
        while (nl >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (sim) sim.#onLine(line);
          else if (line.startsWith(SIM_READY)) {
            clearTimeout(timer);
            resolve((line.slice(SIM_READY.length).trim().split(' ')[0] ?? '').trim());
          }
          nl = buffered.indexOf('\n');
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`simulated cluster exited with ${code} before it was ready\n${stderr}`));
      });
    });
    const ready = new SimProcess(child, url);
    sim = ready;
    ready.#stderr = stderr;
    child.stderr.on('data', (b: Buffer) => {
      ready.#stderr = (ready.#stderr + b.toString()).slice(-4000);
    });
    child.once('exit', (code) => {
      for (const p of ready.#pending.values())
        p.reject(new Error(`the sim exited (${code}) during a command`));
      ready.#pending.clear();
    });
    return ready;
  }

  #onLine(line: string): void {
    const m = /^ctl (\d+) (ok|error) (.*)$/.exec(line);
    if (!m) return;
    const waiter = this.#pending.get(Number(m[1]));
    if (!waiter) return;
    this.#pending.delete(Number(m[1]));
    if (m[2] === 'ok') waiter.resolve(JSON.parse(m[3] as string));
    else waiter.reject(new Error(`sim control: ${m[3]}`));
  }

  send(command: string, timeoutMs = CONTROL_TIMEOUT_MS): Promise<unknown> {
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      return Promise.reject(new Error(`sim control: the sim is not running (${command})`));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`sim control: no answer to "${command}" within ${timeoutMs} ms\n${this.#stderr}`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.stdin.write(`${id} ${command}\n`);
    });
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/** How to reach a sim as its admin: server URL, CA (PEM) and bearer token. */
export interface SimEndpoint {
  server: string;
  ca: string;
  token: string;
}
type KubeconfigAccess = SimEndpoint;

function readAccess(kubeconfig: string): KubeconfigAccess {
  const doc = parseYaml(readFileSync(kubeconfig, 'utf8')) as {
    clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[];
    users?: { name?: string; user?: { token?: string } }[];
  };
  const cluster = doc.clusters?.[0]?.cluster;
  const token = doc.users?.find((u) => u.name === 'sim-admin-token')?.user?.token;
  if (!cluster?.server || !cluster['certificate-authority-data'] || !token)
    throw new Error(`fault-cluster: ${kubeconfig} has no server, CA or admin token`);
  return {
    server: cluster.server,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64').toString(),
    token,
  };
}

/** GET a path on the sim as the admin; resolves with the status and the parsed JSON body. */
function simGet(
  access: KubeconfigAccess,
  path: string,
  timeoutMs = 60_000,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      `${access.server}${path}`,
      {
        ca: access.ca,
        headers: { authorization: `Bearer ${access.token}`, accept: 'application/json' },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            });
          } catch (err) {
            reject(
              new Error(
                `fault-cluster: ${path} answered ${res.statusCode} with a body that is not JSON: ${String(err)}`,
              ),
            );
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`fault-cluster: GET ${path} timed out`)));
    req.on('error', reject);
  });
}

/** "v1/pods" → /api/v1, "apps/v1/deployments" → /apis/apps/v1; the collection path for a namespace. */
export function collectionPath(gvr: string, namespace: string): string {
  const parts = gvr.split('/');
  const [prefix, resource] =
    parts.length === 2 ? [`/api/${parts[0]}`, parts[1]] : [`/apis/${parts[0]}/${parts[1]}`, parts[2]];
  if (!resource) throw new Error(`fault-cluster: bad GVR "${gvr}"`);
  return namespace === '' ? `${prefix}/${resource}` : `${prefix}/namespaces/${namespace}/${resource}`;
}

export class FaultCluster {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly secret: string;
  readonly #opts: FaultClusterOptions;
  #sim: SimProcess | undefined;
  #simPort = 0;
  #proxy: ReadyProcess | undefined;
  #proxyPort = 0;
  /** The URL the proxy printed (origin + /?token=SECRET). */
  #proxyUrl = '';

  private constructor(opts: FaultClusterOptions) {
    this.#opts = opts;
    this.dir = mkdtempSync(join(tmpdir(), 'kubeglass-faults-'));
    this.kubeconfig = join(this.dir, 'kubeconfig');
    this.secret = randomBytes(32).toString('base64url');
  }

  /** Start the sim (seeded, churning) and the proxy in front of it. */
  static async start(opts: FaultClusterOptions = {}): Promise<FaultCluster> {
    if (!existsSync('dist/proxy/main.js'))
      throw new Error('dist/proxy/main.js is missing: run `npm run build` first');
    const cluster = new FaultCluster(opts);
    try {
      await cluster.#startSim([
        '--pods',
        String(opts.pods ?? 60),
        ...(opts.namespaces !== undefined ? ['--namespaces', String(opts.namespaces)] : []),
      ]);
      await cluster.startProxy();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  async #startSim(extra: string[], churn = this.#opts.churn ?? 20): Promise<void> {
    this.#sim = await SimProcess.start([
      '--port',
      String(this.#simPort),
      '--churn',
      String(churn),
      '--kubeconfig-out',
      this.kubeconfig,
      ...(this.#opts.historyWindow !== undefined
        ? ['--history-window', String(this.#opts.historyWindow)]
        : []),
      ...extra,
    ]);
    this.#simPort = Number(new URL(this.#sim.url).port);
  }

  get origin(): string {
    return new URL(this.#proxyUrl).origin;
  }

  get simUrl(): string {
    return this.#sim?.url ?? '';
  }

  get proxyPort(): number {
    return this.#proxyPort;
  }

  /** Start the proxy: on a free port the first time, on the same port (same secret) afterwards. */
  async startProxy(): Promise<void> {
    if (this.#proxy && this.#proxy.child.exitCode === null && this.#proxy.child.signalCode === null) return;
    this.#proxy = await spawnUntilReady(
      process.execPath,
      ['dist/proxy/main.js', '--no-open', '--port', String(this.#proxyPort)],
      {
        env: {
          ...process.env,
          KUBECONFIG: this.kubeconfig,
          KUBEGLASS_SESSION_SECRET: this.secret,
          HOME: this.dir,
        },
        readyPrefix: PROXY_READY,
        timeoutMs: 30_000,
        name: 'proxy',
      },
    );
    this.#proxyUrl = this.#proxy.ready;
    this.#proxyPort = Number(new URL(this.#proxyUrl).port);
  }

  /** Kill the proxy (SIGKILL: no goodbye to the browser, like a crash). */
  async killProxy(): Promise<void> {
    const p = this.#proxy;
    if (!p) return;
    const c = p.child;
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGKILL');
    await exited;
  }

  /** Send one control command to the sim (see sim-control.ts); resolves with its JSON answer. */
  control(command: string, timeoutMs?: number): Promise<unknown> {
    if (!this.#sim) return Promise.reject(new Error('fault-cluster: the sim is not running'));
    return this.#sim.send(command, timeoutMs);
  }

  faults(patch: FaultPatch): Promise<unknown> {
    return this.control(`faults ${JSON.stringify(patch)}`);
  }

  resetFaults(): Promise<unknown> {
    return this.control('reset-faults');
  }

  churn(perSecond: number): Promise<unknown> {
    return this.control(`churn ${perSecond}`);
  }

  async resourceVersion(): Promise<string> {
    return ((await this.control('rv')) as { resourceVersion: string }).resourceVersion;
  }

  async compact(): Promise<string> {
    return ((await this.control('compact')) as { resourceVersion: string }).resourceVersion;
  }

  /**
   * Restart the sim on its port. 'same': from a snapshot taken just before it stops (same objects,
   * same RVs; resumes from older RVs get 410 like a fresh watch cache). 'reset': seeded anew, so
   * RVs start small again. `downMs` is how long it stays down. The restarted sim does not churn
   * until churn() is called (so `after` is its RV as it came up). Returns the RV before and after.
   */
  async restartSim(mode: 'same' | 'reset', downMs = 1500): Promise<{ before: string; after: string }> {
    const sim = this.#sim;
    if (!sim) throw new Error('fault-cluster: the sim is not running');
    const snapshot = join(this.dir, 'snapshot.json');
    await sim.send('churn 0');
    const taken = (await sim.send(`snapshot ${snapshot}`)) as { resourceVersion: string };
    await sim.stop();
    this.#sim = undefined;
    await new Promise((r) => setTimeout(r, downMs));
    await this.#startSim(
      mode === 'same'
        ? ['--restore', snapshot]
        : [
            '--pods',
            String(this.#opts.pods ?? 60),
            ...(this.#opts.namespaces !== undefined ? ['--namespaces', String(this.#opts.namespaces)] : []),
          ],
      0,
    );
    return { before: taken.resourceVersion, after: await this.resourceVersion() };
  }

  /** Open the explorer as a user does: the printed URL (session cookie), then the deep link. */
  async open(page: Page, query?: string): Promise<void> {
    await page.goto(this.#proxyUrl);
    await expect.poll(() => new URL(page.url()).searchParams.has(SESSION_QUERY_PARAM)).toBe(false);
    if (query !== undefined) await page.goto(`${this.origin}/?${query}`);
  }

  /**
   * The sim's list for a view (its GVR, namespace and selectors), straight from the sim. With
   * `atResourceVersion` the state at exactly that RV when the sim still has it, else the latest.
   */
  serverList = (view: OpenView, atResourceVersion?: string): Promise<ServerList> =>
    simServerLister(readAccess(this.kubeconfig))(view, atResourceVersion);

  /** Names of the sim's namespaces, sorted. */
  async namespaces(): Promise<string[]> {
    const res = await simGet(readAccess(this.kubeconfig), '/api/v1/namespaces');
    if (res.status !== 200) throw new Error(`fault-cluster: listing namespaces answered ${res.status}`);
    return toServerList(res.body)
      .items.map((r) => r.name)
      .sort();
  }

  /** Stop the proxy and the sim and remove the temp dir (idempotent). */
  async stop(): Promise<void> {
    await Promise.all([this.#proxy?.stop(), this.#sim?.stop()]);
    this.#proxy = undefined;
    this.#sim = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A ServerLister (view-rows.ts) for a sim: the list for a view (its GVR, namespace and selectors),
 * straight from the sim over HTTPS, never through a proxy. With `atResourceVersion` the state at
 * exactly that RV when the sim still has it, else the latest.
 */
export function simServerLister(access: SimEndpoint): ServerLister {
  return async (view: OpenView, atResourceVersion?: string): Promise<ServerList> => {
    const base = collectionPath(view.gvr, view.namespace);
    const query = new URLSearchParams();
    if (view.labelSelector) query.set('labelSelector', view.labelSelector);
    if (view.fieldSelector) query.set('fieldSelector', view.fieldSelector);
    if (atResourceVersion) {
      const exact = new URLSearchParams(query);
      exact.set('resourceVersion', atResourceVersion);
      exact.set('resourceVersionMatch', 'Exact');
      const res = await simGet(access, `${base}?${exact}`);
      if (res.status === 200) return toServerList(res.body);
      // 410 (compacted) or 504 (an RV from before a reset): fall back to the latest state.
    }
    const res = await simGet(access, `${base}${query.size > 0 ? `?${query}` : ''}`);
    if (res.status !== 200)
      throw new Error(
        `fault-cluster: list ${base} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`,
      );
    return toServerList(res.body);
  };
}

function toServerList(body: unknown): ServerList {
  const list = body as {
    metadata?: { resourceVersion?: string };
    items?: { metadata?: Record<string, string> }[];
  };
  if (!Array.isArray(list.items)) throw new Error('fault-cluster: the list has no items');
  const items: ViewRow[] = list.items.map((o) => ({
    namespace: o.metadata?.namespace ?? '',
    name: o.metadata?.name ?? '',
    resourceVersion: o.metadata?.resourceVersion ?? '',
  }));
  return { resourceVersion: list.metadata?.resourceVersion ?? '', items };
}
