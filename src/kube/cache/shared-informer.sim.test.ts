// Integration: SharedIndexInformer over listWatchFor (DynamicClient, RESTClient, watch decoder,
// pager) against the simulated cluster's core. Real timers, short backoffs; after every
// disturbance the informer's store must equal the server's list.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createSimCluster } from '../../../proxy/sim/core/sim-cluster.ts';
import type { KubeObject } from '../api/types.ts';
import { DynamicClient } from '../dynamic/dynamic-client.ts';
import { RESTClient } from '../rest/rest-client.ts';
import { isExpiredOrGone } from '../rest/status-error.ts';
import { listWatchFor } from './list-watch.ts';
import { SharedIndexInformer } from './shared-informer.ts';
import { simFetch } from './testing/sim-fetch.ts';

const sim = createSimCluster({ bookmarkIntervalMs: 200 });
afterAll(() => sim.close());
const PODS = { group: '', version: 'v1', resource: 'pods' };
const dynamic = new DynamicClient(
  new RESTClient({
    baseUrl: 'http://sim.test/clusters/sim',
    fetch: simFetch(sim, '/clusters/sim'),
    qps: -1,
    maxRetries: 0,
  }),
);
const stops: AbortController[] = [];
afterEach(() => {
  for (const s of stops.splice(0)) s.abort();
  sim.faults.reset();
});

let n = 0;
function createPod(namespace: string, app = 'web'): KubeObject {
  n++;
  return sim.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name: `pod-${n}`, labels: { app } },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  });
}

function start(namespace: string, useWatchList: boolean) {
  const errors: unknown[] = [];
  const informer = new SharedIndexInformer(listWatchFor(dynamic, PODS, { namespace }), {
    reflector: { useWatchList, pageSize: 3, backoff: { initialMs: 10, capMs: 50 } },
    warn: () => {},
  });
  informer.setWatchErrorHandler((e) => errors.push(e));
  const stop = new AbortController();
  stops.push(stop);
  const done = informer.run(stop.signal);
  return { informer, errors, stop, done };
}

function serverState(namespace: string): Record<string, string | undefined> {
  return Object.fromEntries(
    sim.list(PODS, namespace).map((o) => [`${namespace}/${o.metadata?.name}`, o.metadata?.resourceVersion]),
  );
}

function cacheState(informer: SharedIndexInformer): Record<string, string | undefined> {
  return Object.fromEntries(
    informer
      .getIndexer()
      .list()
      .map((o) => [`${o.metadata?.namespace}/${o.metadata?.name}`, o.metadata?.resourceVersion]),
  );
}

describe.each([true, false])(
  'SharedIndexInformer against the simulated cluster (streaming lists: %s)',
  (streaming) => {
    it('syncs, follows changes and recovers from dropped watches, 410s and failing lists', async () => {
      const ns = `it-${streaming ? 's' : 'c'}`;
      sim.create(
        { group: '', version: 'v1', resource: 'namespaces' },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      );
      for (let i = 0; i < 7; i++) createPod(ns);
      const t = start(ns, streaming);
      await vi.waitFor(() => expect(t.informer.hasSynced()).toBe(true), { timeout: 5000 });
      expect(cacheState(t.informer)).toEqual(serverState(ns));

      const first = sim.list(PODS, ns)[0]!;
      sim.update(PODS, { ...first, metadata: { ...first.metadata, labels: { app: 'db' } } });
      sim.delete(PODS, ns, sim.list(PODS, ns)[1]!.metadata!.name!);
      createPod(ns);
      await vi.waitFor(() => expect(cacheState(t.informer)).toEqual(serverState(ns)), { timeout: 5000 });

      // Dropped connection: the server ends every watch; the informer resumes from lastSyncRV.
      sim.close();
      createPod(ns);
      await vi.waitFor(() => expect(cacheState(t.informer)).toEqual(serverState(ns)), { timeout: 5000 });

      // History compacted while disconnected: the resume gets 410, the informer relists.
      sim.faults.failNext(500, 1, (req) => req.query.get('watch') !== 'true' && req.path.endsWith('/pods'));
      sim.close();
      sim.delete(PODS, ns, sim.list(PODS, ns)[0]!.metadata!.name!);
      createPod(ns);
      sim.compact();
      await vi.waitFor(() => expect(cacheState(t.informer)).toEqual(serverState(ns)), { timeout: 5000 });
      expect(t.informer.status().phase).toBe('watching');
      expect(t.errors.some((e) => isExpiredOrGone(e))).toBe(true);
      // A streaming relist is a watch, so the injected list fault only bites the classic path.
      expect(t.errors.some((e) => /failed to list/.test(String(e)))).toBe(!streaming);

      t.stop.abort();
      await t.done;
      expect(t.informer.status().phase).toBe('stopped');
    });
  },
);
