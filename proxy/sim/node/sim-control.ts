// The simulated cluster's control channel for tests (`npm run sim -- --control`): one command per
// line on stdin, one reply line per command on stdout. Only the process that started the sim holds
// its stdin, so no token or port is needed and nothing else on the machine can reach it.
//
//   request:  <id> <command> [arguments]          id: digits chosen by the caller
//   reply:    ctl <id> ok <json>  |  ctl <id> error <message>
//
// Commands: ping, rv, churn <per-second>, compact, expire-all, close-watches, watches, reset-faults,
// faults <json> (see FaultPatch), snapshot <file>, configmaps <ns> <count> [prefix],
// touch-configmaps <ns> <count>, big-widget <ns> <name> <bytes>.
// Bad input is answered with an error reply, never a crash.
import { writeFileSync } from 'node:fs';
import { takeSnapshot } from '../core/cluster-snapshot.ts';
import { GVR } from '../core/seed.ts';
import type { SimCluster } from '../core/sim-cluster.ts';
import type { SimRequest } from '../core/sim-http.ts';

export const CONTROL_REPLY_PREFIX = 'ctl';

/** What `faults <json>` may set; absent keys are left as they are, null clears. */
export interface FaultPatch {
  latencyMs?: number;
  trickleMs?: number;
  dropWatchesAfterMs?: number | null;
  rateLimit?: { qps: number; burst: number } | null;
  silenceWatches?: boolean;
  watchSplitBytes?: number;
  corruptWatchLines?: number;
  watchErrorEvents?: number;
  truncateWatches?: number;
  /** Answer the next `count` requests with `status`; `kind` narrows to lists (non-watch GETs) or watches. */
  failNext?: { status: number; count?: number; pathPrefix?: string; kind?: 'list' | 'watch' | 'any' };
  stall?: string;
  unstall?: boolean;
}

export interface SimControlTarget {
  cluster: SimCluster;
  setChurn(eventsPerSecond: number): void;
}

class CommandError extends Error {}

function nonNegativeInt(name: string, value: unknown, max = 10_000_000): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max)
    throw new CommandError(`${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
  return value;
}

function intArg(name: string, raw: string | undefined, max = 10_000_000): number {
  if (raw === undefined || !/^\d+$/.test(raw))
    throw new CommandError(`${name} must be a whole number, got ${raw ?? 'nothing'}`);
  return nonNegativeInt(name, Number(raw), max);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function dnsArg(name: string, raw: string | undefined): string {
  if (raw === undefined || !DNS_LABEL.test(raw))
    throw new CommandError(`${name} must be a DNS label, got ${raw ?? 'nothing'}`);
  return raw;
}

const PATCH_KEYS = new Set([
  'latencyMs',
  'trickleMs',
  'dropWatchesAfterMs',
  'rateLimit',
  'silenceWatches',
  'watchSplitBytes',
  'corruptWatchLines',
  'watchErrorEvents',
  'truncateWatches',
  'failNext',
  'stall',
  'unstall',
]);

/** Apply a FaultPatch to the cluster's switches; throws CommandError on any malformed field. */
export function applyFaultPatch(cluster: SimCluster, raw: unknown): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new CommandError('faults needs a JSON object');
  const patch = raw as Record<string, unknown>;
  for (const key of Object.keys(patch))
    if (!PATCH_KEYS.has(key)) throw new CommandError(`unknown fault switch "${key}"`);
  const f = cluster.faults;
  // Validate everything before changing anything, so a bad patch leaves the switches untouched.
  const apply: (() => void)[] = [];
  for (const key of [
    'latencyMs',
    'trickleMs',
    'watchSplitBytes',
    'corruptWatchLines',
    'watchErrorEvents',
    'truncateWatches',
  ] as const) {
    if (patch[key] === undefined) continue;
    const value = nonNegativeInt(key, patch[key], 600_000);
    apply.push(() => {
      f[key] = value;
    });
  }
  if (patch.silenceWatches !== undefined) {
    if (typeof patch.silenceWatches !== 'boolean')
      throw new CommandError('silenceWatches must be true or false');
    const value = patch.silenceWatches;
    apply.push(() => {
      f.silenceWatches = value;
    });
  }
  if (patch.dropWatchesAfterMs !== undefined) {
    const value =
      patch.dropWatchesAfterMs === null
        ? undefined
        : nonNegativeInt('dropWatchesAfterMs', patch.dropWatchesAfterMs, 600_000);
    apply.push(() => {
      f.dropWatchesAfterMs = value;
    });
  }
  if (patch.rateLimit !== undefined) {
    const r = patch.rateLimit as { qps?: unknown; burst?: unknown } | null;
    const value =
      r === null
        ? undefined
        : {
            qps: nonNegativeInt('rateLimit.qps', r.qps, 100_000),
            burst: nonNegativeInt('rateLimit.burst', r.burst, 100_000),
          };
    if (value !== undefined && value.qps === 0) throw new CommandError('rateLimit.qps must be at least 1');
    apply.push(() => {
      f.rateLimit = value;
    });
  }
  if (patch.failNext !== undefined) {
    const fn = patch.failNext as { status?: unknown; count?: unknown; pathPrefix?: unknown; kind?: unknown };
    if (typeof fn !== 'object' || fn === null) throw new CommandError('failNext must be an object');
    const status = nonNegativeInt('failNext.status', fn.status, 599);
    if (status < 400) throw new CommandError('failNext.status must be an error code (400..599)');
    const count = fn.count === undefined ? 1 : nonNegativeInt('failNext.count', fn.count, 1_000_000);
    const prefix = fn.pathPrefix === undefined ? '' : fn.pathPrefix;
    if (typeof prefix !== 'string') throw new CommandError('failNext.pathPrefix must be a string');
    const kind = fn.kind ?? 'any';
    if (kind !== 'list' && kind !== 'watch' && kind !== 'any')
      throw new CommandError('failNext.kind must be list, watch or any');
    const matches = (req: SimRequest) => {
      if (!req.path.startsWith(prefix)) return false;
      if (kind === 'any') return true;
      const isWatch = req.query.get('watch') === 'true' || req.query.get('watch') === '1';
      return req.method.toUpperCase() === 'GET' && (kind === 'watch') === isWatch;
    };
    apply.push(() => f.failNext(status, count, matches));
  }
  if (patch.stall !== undefined) {
    if (typeof patch.stall !== 'string' || !patch.stall.startsWith('/'))
      throw new CommandError('stall must be a path prefix');
    const prefix = patch.stall;
    apply.push(() => f.stall(prefix));
  }
  if (patch.unstall === true) apply.push(() => f.unstall());
  for (const step of apply) step();
}

/** Interprets control lines for one cluster. */
export class SimControl {
  readonly #target: SimControlTarget;

  constructor(target: SimControlTarget) {
    this.#target = target;
  }

  /** One reply line (without the newline) for one request line. Never throws. */
  async execute(line: string): Promise<string> {
    const parts = line.trim().split(/\s+/);
    const id = parts[0] ?? '';
    if (!/^\d{1,12}$/.test(id)) return `${CONTROL_REPLY_PREFIX} 0 error a request starts with a numeric id`;
    try {
      const result = await this.#run(parts[1] ?? '', parts.slice(2), line.trim().slice(id.length).trim());
      return `${CONTROL_REPLY_PREFIX} ${id} ok ${JSON.stringify(result ?? null)}`;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return `${CONTROL_REPLY_PREFIX} ${id} error ${message.replace(/\s+/g, ' ')}`;
    }
  }

  async #run(command: string, args: string[], rest: string): Promise<unknown> {
    const { cluster } = this.#target;
    switch (command) {
      case 'ping':
      case 'rv':
        return { resourceVersion: cluster.resourceVersion() };
      case 'churn':
        this.#target.setChurn(intArg('churn', args[0], 100_000));
        return null;
      case 'compact':
        cluster.compact();
        return { resourceVersion: cluster.resourceVersion() };
      case 'expire-all': {
        // In one step (no churn in between): a write no watcher of an application namespace sees,
        // so every such watcher's last RV is now behind; compaction to that write; every watch
        // closed. Each client's resume then gets 410 (a 410 storm, R-18).
        const marker = cluster.get(GVR.configmaps, 'kube-system', 'kubeglass-expire-marker');
        const object = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'kubeglass-expire-marker', namespace: 'kube-system' },
          data: { at: String(Date.now()) },
        };
        if (marker === undefined) cluster.create(GVR.configmaps, object);
        else cluster.update(GVR.configmaps, object);
        cluster.compact();
        cluster.close();
        return { resourceVersion: cluster.resourceVersion() };
      }
      case 'close-watches':
        cluster.close();
        return null;
      case 'watches':
        return { open: cluster.openWatches() };
      case 'reset-faults':
        cluster.faults.reset();
        return null;
      case 'faults': {
        const json = rest.slice('faults'.length).trim();
        let parsed: unknown;
        try {
          parsed = JSON.parse(json);
        } catch {
          throw new CommandError('faults needs a JSON object');
        }
        applyFaultPatch(cluster, parsed);
        return null;
      }
      case 'snapshot': {
        const file = args[0];
        if (file === undefined || !file.startsWith('/'))
          throw new CommandError('snapshot needs an absolute file path');
        const snap = takeSnapshot(cluster);
        writeFileSync(file, JSON.stringify(snap), { mode: 0o600 });
        return { resourceVersion: snap.resourceVersion, objects: snap.entries.length };
      }
      case 'configmaps':
        return this.#createConfigMaps(
          dnsArg('namespace', args[0]),
          intArg('count', args[1], 1_000_000),
          args[2] ?? 'cm',
        );
      case 'touch-configmaps':
        return this.#touchConfigMaps(dnsArg('namespace', args[0]), intArg('count', args[1], 100_000));
      case 'big-widget':
        return this.#bigWidget(
          dnsArg('namespace', args[0]),
          dnsArg('name', args[1]),
          intArg('bytes', args[2], 3_000_000),
        );
      default:
        throw new CommandError(`unknown command "${command}"`);
    }
  }

  #ensureNamespace(ns: string): void {
    const { cluster } = this.#target;
    if (cluster.get(GVR.namespaces, '', ns) === undefined)
      cluster.create(GVR.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }

  /**
   * count ConfigMaps named <prefix>-<n>, n zero-padded so names sort in creation order (each
   * insert lands at the end of the store's sorted keys); in slices so watches keep streaming.
   */
  async #createConfigMaps(ns: string, count: number, prefix: string): Promise<unknown> {
    if (!DNS_LABEL.test(prefix)) throw new CommandError(`prefix must be a DNS label, got ${prefix}`);
    const { cluster } = this.#target;
    this.#ensureNamespace(ns);
    const digits = String(Math.max(0, count - 1)).length;
    let created = 0;
    for (let i = 0; i < count; i++) {
      const name = `${prefix}-${String(i).padStart(digits, '0')}`;
      if (cluster.get(GVR.configmaps, ns, name) !== undefined) continue;
      cluster.create(GVR.configmaps, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: ns, labels: { bulk: prefix } },
        // Multi-byte text in every object, so split watch chunks cut through characters (WS-03).
        data: { index: String(i), text: `grüße ${i} € 𝄞 日本` },
      });
      created++;
      if (created % 2000 === 0) await new Promise((r) => setImmediate(r));
    }
    return { created, resourceVersion: cluster.resourceVersion() };
  }

  /** Update `count` ConfigMaps of `ns` (a label bump each): churn where a test is looking. */
  #touchConfigMaps(ns: string, count: number): unknown {
    const { cluster } = this.#target;
    const all = cluster.list(GVR.configmaps, ns);
    let touched = 0;
    for (let i = 0; i < count && all.length > 0; i++) {
      const cm = all[Math.floor(Math.random() * all.length)];
      if (cm === undefined) continue;
      const { resourceVersion: _rv, ...meta } = cm.metadata ?? {};
      cluster.update(GVR.configmaps, {
        ...cm,
        metadata: {
          ...meta,
          labels: { ...meta.labels, touched: String(Date.now() % 1_000_000) + String(i) },
        },
        data: { ...(cm.data as Record<string, string> | undefined), touched: `ünïcödé ${i} ✓ 𝄞` },
      });
      touched++;
    }
    return { touched, resourceVersion: cluster.resourceVersion() };
  }

  /**
   * A Widget (a custom resource: the kind that may legitimately approach etcd's 1.5 MiB, unlike a
   * ConfigMap's 1 MiB) of about `bytes` bytes, with multi-byte characters throughout its spec.
   */
  #bigWidget(ns: string, name: string, bytes: number): unknown {
    const { cluster } = this.#target;
    this.#ensureNamespace(ns);
    const unit = 'kubeglass-ü€𝄞-';
    const text = unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
    if (cluster.resourceInfo(GVR.widgets) === undefined)
      throw new CommandError('widgets.example.com is not served');
    const existing = cluster.get(GVR.widgets, ns, name);
    const object = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name, namespace: ns },
      spec: { color: 'blue', size: bytes, blob: text },
    };
    const written =
      existing === undefined ? cluster.create(GVR.widgets, object) : cluster.update(GVR.widgets, object);
    return { resourceVersion: written.metadata?.resourceVersion, bytes: Buffer.byteLength(text) };
  }
}
