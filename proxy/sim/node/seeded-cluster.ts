// PROVISIONAL until proxy/sim/core/sim-cluster.ts, seed.ts and churn.ts land.
import type { SimHandler } from '../core/sim-http.ts';

export type SimClusterLike = SimHandler & { close?(): void };

export interface SeededClusterOptions {
  pods: number;
  churnPerSecond: number;
  historyWindow?: number;
}

export interface SeededCluster {
  cluster: SimClusterLike;
  stop(): void;
}

export function startSeededCluster(_opts: SeededClusterOptions): SeededCluster {
  throw new Error('the simulated cluster core is not available yet');
}
