// `npm run sim`: the simulated cluster as a standalone HTTPS apiserver. Prints exactly one line on
// stdout when ready ("kubeglass-sim ready <url> kubeconfig=<path>"): scripts and tests wait for it.
// Everything else (errors, shutdown) goes to stderr. Bad flags and a busy port are one-line errors
// with exit code 2 and 1, never a stack trace.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ChurnEngine } from '../core/churn.ts';
import { type ClusterSnapshot, restoreSnapshot } from '../core/cluster-snapshot.ts';
import { seedCluster } from '../core/seed.ts';
import { createSimCluster, type SimCluster } from '../core/sim-cluster.ts';
import { SimControl } from './sim-control.ts';
import { type SimServer, startSimServer } from './sim-server.ts';

export const READY_PREFIX = 'kubeglass-sim ready';

const USAGE = `usage: npm run sim -- [options]
  --port P               port to listen on (default 8443; 0 picks a free one)
  --host H               interface to bind (default 127.0.0.1)
  --pods N               pods to seed (default 200)
  --churn N              churn events per second (default 20; 0 = a still cluster)
  --history-window N     watch history kept, in events (default: the core's)
  --kubeconfig-out FILE  where to write the kubeconfig (default: a new temporary file)
  --namespaces N         application namespaces to seed (default: the seed's, pods/500)
  --restore FILE         start from a snapshot (see the control channel's snapshot command)
                         instead of seeding: same objects, same resourceVersions
  --control              read control commands on stdin (tests; see sim-control.ts)
  --no-tls               plain HTTP, bearer tokens only (benchmarks)
  --help                 this text`;

export interface CliOptions {
  port: number;
  host: string;
  pods: number;
  churn: number;
  historyWindow?: number;
  kubeconfigOut?: string;
  tls: boolean;
  namespaces?: number;
  restore?: string;
  control: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function integerFlag(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new UsageError(`--${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new UsageError(`--${name} must be between ${min} and ${max}, got ${raw}`);
  return value;
}

/** Parse the command line; throws UsageError for anything unknown or malformed. Returns null for --help. */
export function parseCli(argv: string[]): CliOptions | null {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) return null;
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  const options: CliOptions = {
    port: integerFlag('port', values.port, 8443, 0, 65535),
    host,
    pods: integerFlag('pods', values.pods, 200, 0, 1_000_000),
    churn: integerFlag('churn', values.churn, 20, 0, 100_000),
    tls: !values['no-tls'],
    control: values.control === true,
  };
  if (values.namespaces !== undefined) {
    options.namespaces = integerFlag('namespaces', values.namespaces, 0, 0, 10_000);
  }
  if (values.restore !== undefined) {
    if (values.restore.trim() === '') throw new UsageError('--restore must not be empty');
    options.restore = values.restore;
  }
  if (values['history-window'] !== undefined) {
    options.historyWindow = integerFlag('history-window', values['history-window'], 0, 1, 100_000_000);
  }
  if (values['kubeconfig-out'] !== undefined) {
    if (values['kubeconfig-out'].trim() === '') throw new UsageError('--kubeconfig-out must not be empty');
    options.kubeconfigOut = values['kubeconfig-out'];
  }
  return options;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      pods: { type: 'string' },
      churn: { type: 'string' },
      'history-window': { type: 'string' },
      'kubeconfig-out': { type: 'string' },
      'no-tls': { type: 'boolean' },
      namespaces: { type: 'string' },
      restore: { type: 'string' },
      control: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
}

async function main(argv: string[]): Promise<number> {
  let options: CliOptions | null;
  try {
    options = parseCli(argv);
  } catch (error) {
    process.stderr.write(`kubeglass-sim: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const kubeconfigOut =
    options.kubeconfigOut ?? join(mkdtempSync(join(tmpdir(), 'kubeglass-sim-')), 'kubeconfig');

  let server: SimServer;
  let owned: OwnedCluster;
  try {
    owned = buildCluster(options);
  } catch (error) {
    process.stderr.write(`kubeglass-sim: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    server = await startSimServer({
      host: options.host,
      port: options.port,
      cluster: owned.cluster,
      kubeconfigOut,
      tls: options.tls,
    });
  } catch (error) {
    owned.stop();
    process.stderr.write(`kubeglass-sim: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  if (options.control) serveControl(owned);

  process.stdout.write(
    `${READY_PREFIX} ${server.url} kubeconfig=${server.kubeconfigPath ?? kubeconfigOut}\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`kubeglass-sim: ${signal}, shutting down\n`);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  // Bounded: a stuck close must not keep the process alive forever.
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
  await Promise.race([server.close(), timeout]);
  owned.stop();
  return 0;
}

interface OwnedCluster {
  cluster: SimCluster;
  setChurn(eventsPerSecond: number): void;
  stop(): void;
}

/** Seed (or restore) the cluster and set up its churn, which can be re-paced or stopped later. */
function buildCluster(options: CliOptions): OwnedCluster {
  const now = () => Date.now();
  const cluster = createSimCluster({
    now,
    // The seed (or the snapshot) creates default, kube-system, kube-public and kube-node-lease.
    bootstrapNamespaces: false,
    ...(options.historyWindow !== undefined ? { historyWindow: options.historyWindow } : {}),
  });
  if (options.restore !== undefined) {
    let snapshot: ClusterSnapshot;
    try {
      snapshot = JSON.parse(readFileSync(options.restore, 'utf8')) as ClusterSnapshot;
    } catch (error) {
      throw new Error(
        `cannot read snapshot ${options.restore}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    restoreSnapshot(cluster, snapshot);
  } else {
    seedCluster(cluster, {
      pods: options.pods,
      now: now(),
      ...(options.namespaces !== undefined ? { namespaces: options.namespaces } : {}),
    });
  }
  const churn = new ChurnEngine(cluster, { eventsPerSecond: options.churn, now });
  if (options.churn > 0) churn.start();
  return {
    cluster,
    setChurn(eventsPerSecond) {
      churn.setRate(eventsPerSecond);
      if (eventsPerSecond > 0) churn.start();
      else churn.stop();
    },
    stop() {
      churn.stop();
      cluster.close();
    },
  };
}

/** The control channel: one command per stdin line, replies in order on stdout. */
function serveControl(owned: OwnedCluster): void {
  const control = new SimControl(owned);
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  // Commands run one at a time, in order, so replies never interleave.
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    queue = queue.then(async () => {
      process.stdout.write(`${await control.execute(line)}\n`);
    });
  });
}

// Run only as the entry point, so tests can import parseCli.
if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`kubeglass-sim: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
