import { describe, expect, it } from 'vitest';
import { ChurnEngine, type ChurnTimer, podStage } from './churn.ts';
import { GVR, seedCluster, workloadInvariantViolations } from './seed.ts';
import { createSimCluster } from './sim-cluster.ts';
import { type GroupVersionResource, type KubeObject, MemorySimWriter, type SimWriter } from './sim-writer.ts';

const START = Date.parse('2024-06-01T12:00:00Z');

/** A fake clock the tests move by hand. */
function clock() {
  let now = START;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function seeded(pods = 300) {
  const c = clock();
  const w = new MemorySimWriter(c.now);
  seedCluster(w, { pods, now: START });
  return { w, c };
}

/** Records every write, to follow one object's history. */
class RecordingWriter implements SimWriter {
  readonly log: { verb: string; gvr: GroupVersionResource; obj: KubeObject }[] = [];
  constructor(readonly inner: SimWriter) {}
  create(gvr: GroupVersionResource, obj: KubeObject) {
    const stored = this.inner.create(gvr, obj);
    this.log.push({ verb: 'create', gvr, obj: structuredClone(stored) });
    return stored;
  }
  update(gvr: GroupVersionResource, obj: KubeObject) {
    const stored = this.inner.update(gvr, obj);
    this.log.push({ verb: 'update', gvr, obj: structuredClone(stored) });
    return stored;
  }
  delete(gvr: GroupVersionResource, namespace: string, name: string) {
    const gone = this.inner.delete(gvr, namespace, name);
    if (gone) this.log.push({ verb: 'delete', gvr, obj: structuredClone(gone) });
    return gone;
  }
  get(gvr: GroupVersionResource, namespace: string, name: string) {
    return this.inner.get(gvr, namespace, name);
  }
  list(gvr: GroupVersionResource, namespace?: string) {
    return this.inner.list(gvr, namespace);
  }
}

describe('ChurnEngine', () => {
  it('keeps ownership invariants and unique names after 10,000 changes', () => {
    const { w, c } = seeded(300);
    const churn = new ChurnEngine(w, { eventsPerSecond: 0, now: c.now, maxEvents: 2000 });
    for (let i = 0; i < 100; i++) {
      churn.tick(100);
      c.advance(1000);
    }
    const stats = churn.stats;
    expect(stats.changes).toBe(10_000);
    expect(stats.writes).toBeGreaterThan(10_000);
    expect(workloadInvariantViolations(w)).toEqual([]);
    const pods = w.list(GVR.pods);
    expect(new Set(pods.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`)).size).toBe(pods.length);
    expect(new Set(pods.map((p) => p.metadata?.uid)).size).toBe(pods.length);
  });

  it('drives the real engine (createSimCluster) for 10,000 changes with invariants intact', () => {
    const c = clock();
    const cluster = createSimCluster({ now: c.now, bootstrapNamespaces: false });
    seedCluster(cluster, { pods: 300, now: START });
    const churn = new ChurnEngine(cluster, { eventsPerSecond: 0, now: c.now, maxEvents: 2000 });
    for (let i = 0; i < 100; i++) {
      churn.tick(100);
      c.advance(1000);
    }
    expect(churn.stats.changes).toBe(10_000);
    expect(workloadInvariantViolations(cluster)).toEqual([]);
    const pods = cluster.list(GVR.pods);
    expect(new Set(pods.map((p) => p.metadata?.uid)).size).toBe(pods.length);
    cluster.close();
  });

  it('keeps ReplicaSet and Deployment status in line with their pods', () => {
    const { w, c } = seeded(200);
    const churn = new ChurnEngine(w, { eventsPerSecond: 0, now: c.now });
    churn.tick(3000);
    const pods = w.list(GVR.pods);
    for (const rs of w.list(GVR.replicasets)) {
      const owned = pods.filter((p) => p.metadata?.ownerReferences?.[0]?.uid === rs.metadata?.uid);
      const live = owned.filter((p) => podStage(p) !== 'Terminating');
      const status = rs.status as { replicas: number; readyReplicas: number };
      expect(status.replicas, rs.metadata?.name).toBe(live.length);
      expect(status.readyReplicas, rs.metadata?.name).toBe(
        owned.filter((p) => podStage(p) === 'Running').length,
      );
    }
    for (const dep of w.list(GVR.deployments)) {
      const replicas = (dep.spec as { replicas: number }).replicas;
      expect(replicas).toBeGreaterThanOrEqual(1);
      expect(replicas).toBeLessThanOrEqual(12);
    }
  });

  it('takes a new pod from Pending through scheduling and ContainerCreating to Running', () => {
    const { w, c } = seeded(100);
    const rec = new RecordingWriter(w);
    const churn = new ChurnEngine(rec, { eventsPerSecond: 0, now: c.now });
    churn.tick(2000);
    const created = rec.log.find((e) => e.verb === 'create' && e.gvr === GVR.pods);
    expect(created).toBeDefined();
    const name = created?.obj.metadata?.name;
    const history = rec.log
      .filter((e) => e.gvr === GVR.pods && e.obj.metadata?.name === name)
      .map((e) => podStage(e.obj));
    expect(history.slice(0, 4)).toEqual(['Unscheduled', 'Scheduled', 'ContainerCreating', 'Running']);
    const events = rec.log
      .filter((e) => e.gvr === GVR.events && (e.obj.involvedObject as { name?: string }).name === name)
      .map((e) => e.obj.reason);
    expect(events).toEqual(expect.arrayContaining(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']));
  });

  it('crash-loops pods with growing restart counts and counts repeated BackOff events', () => {
    const { w, c } = seeded(100);
    const rec = new RecordingWriter(w);
    const churn = new ChurnEngine(rec, { eventsPerSecond: 0, now: c.now, random: mostlyCrashes() });
    churn.tick(3000);
    const crashUpdates = rec.log.filter(
      (e) => e.verb === 'update' && e.gvr === GVR.pods && podStage(e.obj) === 'CrashLoopBackOff',
    );
    expect(crashUpdates.length).toBeGreaterThan(0);
    const restarts = crashUpdates.map(
      (e) =>
        (
          e.obj.status as {
            containerStatuses: { restartCount: number; lastState: { terminated?: unknown } }[];
          }
        ).containerStatuses[0],
    );
    expect(restarts.every((s) => (s?.restartCount ?? 0) > 0 && s?.lastState.terminated !== undefined)).toBe(
      true,
    );
    const backOff = w.list(GVR.events).filter((e) => e.reason === 'BackOff' && e.type === 'Warning');
    expect(backOff.some((e) => Number(e.count) > 1)).toBe(true);
  });

  it('bounds the events it creates', () => {
    const { w, c } = seeded(100);
    const seededEvents = w.list(GVR.events).length;
    const churn = new ChurnEngine(w, { eventsPerSecond: 0, now: c.now, maxEvents: 50 });
    churn.tick(3000);
    expect(w.list(GVR.events).length).toBeLessThanOrEqual(seededEvents + 50);
  });

  it('writes at the configured rate when started, in timer batches', () => {
    const { w, c } = seeded(200);
    let pending: (() => void) | undefined;
    const setTimer = (fn: () => void): ChurnTimer => {
      pending = fn;
      return { cancel: () => (pending = undefined) };
    };
    const churn = new ChurnEngine(w, { eventsPerSecond: 1000, now: c.now, setTimer, intervalMs: 50 });
    churn.start();
    expect(churn.running).toBe(true);
    for (let i = 0; i < 20; i++) {
      c.advance(50);
      pending?.();
    }
    const writes = churn.stats.writes;
    expect(writes).toBeGreaterThanOrEqual(990);
    expect(writes).toBeLessThanOrEqual(1010);
    churn.stop();
    expect(churn.running).toBe(false);
    expect(pending).toBeUndefined();
    expect(churn.stats.lastError).toBeUndefined();
  });

  it('survives objects deleted behind its back', () => {
    const { w, c } = seeded(200);
    const churn = new ChurnEngine(w, { eventsPerSecond: 0, now: c.now });
    churn.resync();
    for (const rs of w.list(GVR.replicasets).slice(0, 20))
      w.delete(GVR.replicasets, rs.metadata?.namespace ?? '', rs.metadata?.name ?? '');
    for (const pod of w.list(GVR.pods).slice(0, 50))
      w.delete(GVR.pods, pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
    c.advance(1000);
    expect(() => churn.tick(2000)).not.toThrow();
    expect(churn.stats.skipped).toBeGreaterThan(0);
    // Pods of the deleted ReplicaSets are orphans now; everything the engine created is well-owned.
    const rsUids = new Set(w.list(GVR.replicasets).map((r) => r.metadata?.uid));
    const created = w
      .list(GVR.pods)
      .filter(
        (p) =>
          p.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet' &&
          Date.parse(p.metadata?.creationTimestamp ?? '') > START,
      );
    expect(created.length).toBeGreaterThan(0);
    expect(created.every((p) => rsUids.has(p.metadata?.ownerReferences?.[0]?.uid))).toBe(true);
  });

  it('rejects a bad rate and runs on an empty cluster without writing', () => {
    const w = new MemorySimWriter();
    expect(() => new ChurnEngine(w, { eventsPerSecond: -1, now: Date.now })).toThrow(RangeError);
    expect(() => new ChurnEngine(w, { eventsPerSecond: Number.NaN, now: Date.now })).toThrow(RangeError);
    const churn = new ChurnEngine(w, { eventsPerSecond: 10, now: Date.now });
    expect(churn.tick(100).writes).toBe(0);
    expect(churn.stats.skipped).toBe(100);
  });
});

/** A random source biased towards the crash change (0.4..0.6) while staying varied. */
function mostlyCrashes(): () => number {
  let i = 0;
  let s = 12345;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const r = s / 4294967296;
    return i++ % 4 === 0 ? 0.45 + r * 0.1 : r;
  };
}
