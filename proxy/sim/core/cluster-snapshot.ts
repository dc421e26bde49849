// A simulated cluster's state as data, so a restarted sim can come back with the SAME objects and
// resourceVersions (what an apiserver restart over a surviving etcd looks like to a client), or a
// test can start from a known state. takeSnapshot reads every built-in resource the seed and churn
// write; restoreSnapshot replays the objects into an empty cluster in resourceVersion order.
//
// The store assigns RVs itself (one global counter), so restore re-creates each object exactly
// when the counter reaches its RV, spending the gaps (RVs of past updates and deletions) on a
// throwaway namespace. Afterwards the history is compacted: like a restarted apiserver's fresh
// watch cache, a resume from an older RV gets 410 and the client relists.
//
// Kept: namespace, name, RV, labels, annotations, spec, status, creationTimestamp. Re-issued: uid
// and generation (the store always stamps those on create).
import type { GroupVersionResource, KubeObject } from '../../../src/kube/api/types.ts';
import { GVR } from './seed.ts';
import type { SimCluster } from './sim-cluster.ts';

export interface SnapshotEntry {
  gvr: GroupVersionResource;
  object: KubeObject;
}

export interface ClusterSnapshot {
  /** The cluster's latest committed RV when the snapshot was taken. */
  resourceVersion: string;
  entries: SnapshotEntry[];
}

/** Resources a snapshot covers: everything the seed and the churn engine write. */
export const SNAPSHOT_RESOURCES: readonly GroupVersionResource[] = Object.values(GVR);

const BURNER = 'kubeglass-sim-restore-gap';

function rvOf(obj: KubeObject): number {
  const rv = Number(obj.metadata?.resourceVersion);
  if (!Number.isSafeInteger(rv) || rv <= 0)
    throw new Error(
      `snapshot: object ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''} has no usable resourceVersion`,
    );
  return rv;
}

export function takeSnapshot(cluster: SimCluster): ClusterSnapshot {
  const entries: SnapshotEntry[] = [];
  for (const gvr of SNAPSHOT_RESOURCES) {
    if (cluster.resourceInfo(gvr) === undefined) continue;
    for (const object of cluster.list(gvr)) entries.push({ gvr, object });
  }
  return { resourceVersion: cluster.resourceVersion(), entries };
}

/** Spends RVs on a throwaway namespace: create, update (label bump), delete each cost exactly one. */
class GapFiller {
  readonly #cluster: SimCluster;
  /** Whether the throwaway namespace exists now. */
  #exists = false;
  #n = 0;

  constructor(cluster: SimCluster) {
    this.#cluster = cluster;
  }

  fill(gap: number): void {
    if (gap <= 0) return;
    let left = gap;
    if (!this.#exists) {
      this.#cluster.create(GVR.namespaces, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: BURNER },
      });
      this.#exists = true;
      left--;
    }
    for (; left > 1; left--) {
      const current = this.#cluster.get(GVR.namespaces, '', BURNER) as KubeObject;
      const { resourceVersion: _rv, ...meta } = current.metadata ?? {};
      this.#cluster.update(GVR.namespaces, {
        ...current,
        metadata: { ...meta, labels: { step: String(++this.#n) } },
      });
    }
    if (left === 1) {
      this.#cluster.delete(GVR.namespaces, '', BURNER);
      this.#exists = false;
    }
  }
}

/**
 * Replay `snap` into `cluster`, which must be empty (created with bootstrapNamespaces: false and
 * never written). Throws with the offending object when the snapshot is inconsistent (an object
 * whose namespace was re-created after it, duplicate RVs).
 */
export function restoreSnapshot(cluster: SimCluster, snap: ClusterSnapshot): void {
  if (cluster.resourceVersion() !== '0')
    throw new Error(`restore needs an empty cluster, this one is at RV ${cluster.resourceVersion()}`);
  const finalRv = Number(snap.resourceVersion);
  if (!Number.isSafeInteger(finalRv) || finalRv < 0)
    throw new Error(`snapshot: bad resourceVersion "${snap.resourceVersion}"`);
  const entries = [...snap.entries].sort((a, b) => rvOf(a.object) - rvOf(b.object));
  const gaps = new GapFiller(cluster);
  for (const { gvr, object } of entries) {
    const target = rvOf(object);
    const current = Number(cluster.resourceVersion());
    if (target <= current)
      throw new Error(`snapshot: RV ${target} of ${object.metadata?.name ?? ''} is not above ${current}`);
    gaps.fill(target - current - 1);
    const { resourceVersion: _rv, uid: _uid, generation: _gen, ...meta } = object.metadata ?? {};
    try {
      cluster.create(gvr, { ...object, metadata: meta });
    } catch (err) {
      throw new Error(
        `snapshot: cannot re-create ${gvr.resource} ${meta.namespace ?? ''}/${meta.name ?? ''}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  const last = Number(cluster.resourceVersion());
  if (last > finalRv) throw new Error(`snapshot: objects reach RV ${last}, beyond the snapshot's ${finalRv}`);
  gaps.fill(finalRv - last);
  cluster.compact();
}
