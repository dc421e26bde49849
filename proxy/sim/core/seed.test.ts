import { describe, expect, it } from 'vitest';
import {
  GVR,
  seedCluster,
  seededRandom,
  WIDGET_PRINTER_COLUMNS,
  workloadInvariantViolations,
} from './seed.ts';
import { createSimCluster } from './sim-cluster.ts';
import { type KubeObject, MemorySimWriter } from './sim-writer.ts';
import { toTable } from './table.ts';

const NOW = Date.parse('2024-06-01T12:00:00Z');

type OwnerRef = { kind: string; name: string; uid: string; controller?: boolean };

function controllerOf(obj: KubeObject): OwnerRef | undefined {
  const controllers = ((obj.metadata?.ownerReferences ?? []) as OwnerRef[]).filter(
    (r) => r.controller === true,
  );
  return controllers.length === 1 ? controllers[0] : undefined;
}

describe('seedCluster', () => {
  it('creates exactly the requested pods, all correctly owned and labelled', () => {
    const w = new MemorySimWriter(() => NOW);
    const summary = seedCluster(w, { pods: 500, now: NOW });
    expect(w.list(GVR.pods)).toHaveLength(500);
    expect(summary.pods).toBe(500);
    expect(workloadInvariantViolations(w)).toEqual([]);
    expect(summary.deployments).toBe(w.list(GVR.deployments).length);
    expect(summary.replicaSets).toBeGreaterThanOrEqual(summary.deployments);
  });

  it('has an invariant check that notices broken ownership and labels', () => {
    const w = new MemorySimWriter(() => NOW);
    seedCluster(w, { pods: 40, now: NOW });
    const [first, second] = w.list(GVR.pods).filter((p) => controllerOf(p)?.kind === 'ReplicaSet');
    if (first === undefined || second === undefined) throw new Error('seed made no replicaset pods');
    w.update(GVR.pods, {
      ...structuredClone(first),
      metadata: { ...structuredClone(first.metadata), labels: { app: 'other' } },
    });
    const orphan = structuredClone(second);
    w.delete(GVR.pods, orphan.metadata?.namespace ?? '', orphan.metadata?.name ?? '');
    w.create(GVR.pods, {
      ...orphan,
      metadata: { name: 'orphan', namespace: orphan.metadata?.namespace, ownerReferences: [] },
    });
    const problems = workloadInvariantViolations(w);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/labels do not match/);
    expect(problems.join('\n')).toMatch(/orphan: no single controller reference/);
  });

  it('creates the system namespaces, nodes with leases, and one ServiceAccount and CA bundle per namespace', () => {
    const w = new MemorySimWriter(() => NOW);
    const summary = seedCluster(w, { pods: 50, nodes: 4, namespaces: 3, now: NOW });
    const names = w.list(GVR.namespaces).map((n) => n.metadata?.name);
    expect(names).toEqual(
      expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']),
    );
    expect(names).toHaveLength(7);
    expect(summary.nodes).toHaveLength(4);
    expect(w.list(GVR.leases, 'kube-node-lease')).toHaveLength(4);
    for (const ns of summary.namespaces) {
      expect(w.get(GVR.serviceaccounts, ns, 'default'), ns).toBeDefined();
      expect(w.get(GVR.configmaps, ns, 'kube-root-ca.crt'), ns).toBeDefined();
    }
    const nodeTable = toTable(
      { group: '', version: 'v1', resource: 'nodes', kind: 'Node' },
      w.list(GVR.nodes),
      {
        includeObject: 'None',
        now: NOW,
      },
    );
    expect(nodeTable.rows.map((r) => r.cells[1])).toEqual(['Ready', 'Ready', 'Ready', 'Ready']);
    expect(nodeTable.rows[0]?.cells[2]).toBe('control-plane');
  });

  it('places pods on workers with IPs and gives them realistic statuses', () => {
    const w = new MemorySimWriter(() => NOW);
    seedCluster(w, { pods: 2000, now: NOW });
    const pods = w.list(GVR.pods);
    const table = toTable({ group: '', version: 'v1', resource: 'pods', kind: 'Pod' }, pods, {
      includeObject: 'None',
      now: NOW,
    });
    const statuses = new Map<string, number>();
    for (const row of table.rows)
      statuses.set(String(row.cells[2]), (statuses.get(String(row.cells[2])) ?? 0) + 1);
    expect(statuses.get('Running') ?? 0).toBeGreaterThan(1700);
    expect(statuses.get('CrashLoopBackOff') ?? 0).toBeGreaterThan(0);
    expect(statuses.get('Completed')).toBe(1);
    const nodeNames = new Set(w.list(GVR.nodes).map((n) => n.metadata?.name));
    for (const pod of pods) {
      const nodeName = (pod.spec as { nodeName?: string }).nodeName;
      if (nodeName !== undefined) expect(nodeNames.has(nodeName)).toBe(true);
    }
    const running = pods.find(
      (p) => (p.status as { phase?: string }).phase === 'Running' && p.metadata?.namespace !== 'kube-system',
    );
    const status = running?.status as {
      podIP?: string;
      hostIP?: string;
      qosClass?: string;
      conditions?: unknown[];
    };
    expect(status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(status.hostIP).toMatch(/^10\.0\.\d+\.\d+$/);
    expect(status.qosClass).toBe('Guaranteed');
    expect(status.conditions).toHaveLength(5);
  });

  it('makes pod objects about 5 KB of JSON', () => {
    const w = new MemorySimWriter(() => NOW);
    seedCluster(w, { pods: 300, now: NOW });
    const appPods = w.list(GVR.pods).filter((p) => p.metadata?.namespace !== 'kube-system');
    const average = appPods.reduce((n, p) => n + JSON.stringify(p).length, 0) / appPods.length;
    expect(average).toBeGreaterThan(3500);
    expect(average).toBeLessThan(8000);
  });

  it('keeps ReplicaSet and Deployment status consistent with their pods', () => {
    const w = new MemorySimWriter(() => NOW);
    seedCluster(w, { pods: 400, now: NOW });
    const pods = w.list(GVR.pods);
    for (const rs of w.list(GVR.replicasets)) {
      const owned = pods.filter((p) => controllerOf(p)?.uid === rs.metadata?.uid);
      const spec = rs.spec as { replicas: number };
      const status = rs.status as { replicas: number; readyReplicas: number };
      expect(owned).toHaveLength(spec.replicas);
      expect(status.replicas).toBe(spec.replicas);
      const ready = owned.filter((p) =>
        (p.status as { conditions?: { type: string; status: string }[] }).conditions?.some(
          (c) => c.type === 'Ready' && c.status === 'True',
        ),
      );
      expect(status.readyReplicas).toBe(ready.length);
    }
  });

  it('creates services selecting their deployments, events about real pods, and the widgets CRD', () => {
    const w = new MemorySimWriter(() => NOW);
    const summary = seedCluster(w, { pods: 200, now: NOW });
    const pods = w.list(GVR.pods);
    for (const svc of w.list(GVR.services)) {
      const selector = (svc.spec as { selector?: Record<string, string> }).selector;
      if (selector === undefined) continue; // the kubernetes API service
      const ns = svc.metadata?.namespace;
      expect(
        pods.some(
          (p) =>
            p.metadata?.namespace === ns &&
            Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v),
        ),
        `service ${ns}/${svc.metadata?.name}`,
      ).toBe(true);
    }
    const events = w.list(GVR.events);
    expect(events.length).toBe(summary.events);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      const involved = e.involvedObject as { namespace: string; name: string; uid: string };
      expect(w.get(GVR.pods, involved.namespace, involved.name)?.metadata?.uid).toBe(involved.uid);
    }
    expect(events.some((e) => e.reason === 'BackOff' && e.type === 'Warning')).toBe(true);
    const crd = w.get(GVR.crds, '', 'widgets.example.com');
    const spec = crd?.spec as {
      names: { shortNames: string[] };
      versions: { additionalPrinterColumns: unknown[] }[];
    };
    expect(spec.names.shortNames).toEqual(['wg']);
    expect(spec.versions[0]?.additionalPrinterColumns).toEqual(WIDGET_PRINTER_COLUMNS);
    const widgets = w.list(GVR.widgets);
    expect(widgets).toHaveLength(summary.widgets);
    const table = toTable(
      { ...GVR.widgets, kind: 'Widget', printerColumns: WIDGET_PRINTER_COLUMNS },
      widgets,
      {
        includeObject: 'None',
        now: NOW,
      },
    );
    expect(table.rows[0]?.cells.slice(1, 4)).toEqual(['red', 1, 'True']);
  });

  it('is reproducible for a given random source and rejects bad options', () => {
    const names = (seed: number) => {
      const w = new MemorySimWriter(() => NOW);
      seedCluster(w, { pods: 60, now: NOW, random: seededRandom(seed) });
      return w.list(GVR.pods).map((p) => p.metadata?.name);
    };
    expect(names(7)).toEqual(names(7));
    expect(names(7)).not.toEqual(names(8));
    const w = new MemorySimWriter();
    expect(() => seedCluster(w, { pods: -1, now: NOW })).toThrow(RangeError);
    expect(() => seedCluster(w, { pods: 1.5, now: NOW })).toThrow(RangeError);
    expect(() => seedCluster(w, { pods: 10, nodes: 0, now: NOW })).toThrow(RangeError);
  });

  it('handles tiny clusters: zero and one pod', () => {
    for (const pods of [0, 1, 3]) {
      const w = new MemorySimWriter(() => NOW);
      seedCluster(w, { pods, now: NOW });
      expect(w.list(GVR.pods)).toHaveLength(pods);
      expect(workloadInvariantViolations(w)).toEqual([]);
    }
  });

  it('seeds the real engine (createSimCluster) with the same invariants, CRD served', () => {
    const cluster = createSimCluster({ now: () => NOW, bootstrapNamespaces: false });
    const summary = seedCluster(cluster, { pods: 300, now: NOW });
    expect(cluster.list(GVR.pods)).toHaveLength(300);
    expect(summary.pods).toBe(300);
    expect(workloadInvariantViolations(cluster)).toEqual([]);
    expect(cluster.list(GVR.widgets)).toHaveLength(summary.widgets);
    // The engine keeps the seed's backdated creation times (ages spread over weeks, not all 0s).
    const ages = cluster.list(GVR.pods).map((p) => NOW - Date.parse(p.metadata?.creationTimestamp ?? ''));
    expect(Math.max(...ages)).toBeGreaterThan(24 * 3600_000);
    cluster.close();
  });
});
