// A simulated cluster ready to serve: created, seeded with a realistic workload and (optionally)
// kept alive by the churn engine. Owned by whoever starts it; stop() halts churn and ends every
// open watch, after which the cluster still answers requests (so in-flight calls finish cleanly).
import { ChurnEngine } from '../core/churn.ts';
import { seedCluster } from '../core/seed.ts';
import { createSimCluster, type SimCluster } from '../core/sim-cluster.ts';

export interface SeededClusterOptions {
  /** Exactly this many pods are seeded (0: only the bootstrap namespaces and seed's fixed objects). */
  pods: number;
  /** Churn writes per second; 0 leaves the cluster still. */
  churnPerSecond: number;
  /** Watch history kept per resource, in events; the core's default when unset. */
  historyWindow?: number;
  /** Clock; Date.now by default. */
  now?: () => number;
}

export interface SeededCluster {
  cluster: SimCluster;
  churn: ChurnEngine | undefined;
  stop(): void;
}

export function startSeededCluster(opts: SeededClusterOptions): SeededCluster {
  if (!Number.isInteger(opts.pods) || opts.pods < 0) {
    throw new RangeError(`pods must be a whole number >= 0, got ${opts.pods}`);
  }
  if (!(opts.churnPerSecond >= 0) || !Number.isFinite(opts.churnPerSecond)) {
    throw new RangeError(
      `churn must be a finite number of events per second >= 0, got ${opts.churnPerSecond}`,
    );
  }
  const now = opts.now ?? (() => Date.now());
  const cluster = createSimCluster({
    now,
    // seedCluster creates default, kube-system, kube-public and kube-node-lease itself.
    bootstrapNamespaces: false,
    ...(opts.historyWindow !== undefined ? { historyWindow: opts.historyWindow } : {}),
  });
  seedCluster(cluster, { pods: opts.pods, now: now() });
  let churn: ChurnEngine | undefined;
  if (opts.churnPerSecond > 0) {
    churn = new ChurnEngine(cluster, { eventsPerSecond: opts.churnPerSecond, now });
    churn.start();
  }
  return {
    cluster,
    churn,
    stop() {
      churn?.stop();
      cluster.close();
    },
  };
}
