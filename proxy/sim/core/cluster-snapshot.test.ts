// Snapshot and restore: a restored cluster holds the same objects at the same resourceVersions and
// the same latest RV, and, like a restarted apiserver's fresh watch cache, answers a resume from an
// older RV with 410 while a watch from the latest RV resumes.
import { describe, expect, it } from 'vitest';
import { ChurnEngine } from './churn.ts';
import { restoreSnapshot, SNAPSHOT_RESOURCES, takeSnapshot } from './cluster-snapshot.ts';
import { GVR, seedCluster } from './seed.ts';
import { createSimCluster, type SimCluster } from './sim-cluster.ts';
import { buildSimRequest, readWatchEvents } from './sim-request-builder.ts';

function fingerprint(cluster: SimCluster): string[] {
  const out: string[] = [];
  for (const gvr of SNAPSHOT_RESOURCES)
    for (const o of cluster.list(gvr))
      out.push(
        `${gvr.resource} ${o.metadata?.namespace ?? ''}/${o.metadata?.name} ${o.metadata?.resourceVersion}`,
      );
  return out.sort();
}

function churned(): SimCluster {
  const cluster = createSimCluster({ bootstrapNamespaces: false });
  seedCluster(cluster, { pods: 120, now: Date.parse('2026-01-01T00:00:00Z') });
  const churn = new ChurnEngine(cluster, {
    eventsPerSecond: 0,
    now: () => Date.parse('2026-01-01T00:00:00Z'),
  });
  churn.tick(300); // updates and deletions leave gaps between the surviving objects' RVs
  return cluster;
}

describe('cluster snapshot', () => {
  it('restores every object at its resourceVersion, and the latest RV, through JSON', () => {
    const source = churned();
    const snap = JSON.parse(JSON.stringify(takeSnapshot(source)));
    const restored = createSimCluster({ bootstrapNamespaces: false });
    restoreSnapshot(restored, snap);
    expect(restored.resourceVersion()).toBe(source.resourceVersion());
    expect(fingerprint(restored)).toEqual(fingerprint(source));
    const pod = source.list(GVR.pods)[0];
    const again = restored.get(GVR.pods, pod?.metadata?.namespace ?? '', pod?.metadata?.name ?? '');
    expect(again?.spec).toEqual(pod?.spec);
    expect(again?.metadata?.labels).toEqual(pod?.metadata?.labels);
    source.close();
    restored.close();
  });

  it('R-18: after a restore a resume from an older RV gets 410, one from the latest RV resumes', async () => {
    const source = churned();
    const older = String(Number(source.resourceVersion()) - 5);
    const restored = createSimCluster({ bootstrapNamespaces: false });
    restoreSnapshot(restored, takeSnapshot(source));
    const gone = await restored.handle(
      buildSimRequest('/api/v1/pods', { query: { watch: 'true', resourceVersion: older } }),
    );
    const [event] = await readWatchEvents(gone, 1);
    expect(event?.type).toBe('ERROR');
    expect((event?.object as { code?: number } | undefined)?.code).toBe(410);
    const resumed = await restored.handle(
      buildSimRequest('/api/v1/namespaces/default/configmaps', {
        query: { watch: 'true', resourceVersion: restored.resourceVersion() },
      }),
    );
    restored.create(GVR.configmaps, { metadata: { name: 'after-restart', namespace: 'default' } });
    const [added] = await readWatchEvents(resumed, 1);
    expect(added?.type).toBe('ADDED');
    expect(added?.object.metadata?.name).toBe('after-restart');
    source.close();
    restored.close();
  });

  it('refuses a non-empty cluster and an inconsistent snapshot with a clear error', () => {
    const source = churned();
    const snap = takeSnapshot(source);
    expect(() => restoreSnapshot(source, snap)).toThrow(/empty cluster/);
    const bad = { ...snap, resourceVersion: '3' };
    expect(() => restoreSnapshot(createSimCluster({ bootstrapNamespaces: false }), bad)).toThrow(/beyond/);
    source.close();
  });
});
