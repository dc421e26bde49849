import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.ts';
import { FakeClock } from '../clock/fake-clock.ts';
import {
  DynamicSharedInformerFactory,
  type InformerKey,
  informerKeyString,
  type NormalizedInformerKey,
} from './shared-informer-factory.ts';
import { FakeCluster, statusError } from './testing/fake-cluster.ts';
import { flush } from './testing/flush.ts';

const pods: InformerKey = { context: 'kind', gvr: { group: '', version: 'v1', resource: 'pods' } };

const factories: DynamicSharedInformerFactory[] = [];
afterEach(async () => {
  for (const f of factories.splice(0)) await f.shutdown();
});

function setup(options: Partial<ConstructorParameters<typeof DynamicSharedInformerFactory>[0]> = {}) {
  const clock = new FakeClock(1_000_000);
  const clusters = new Map<string, FakeCluster>();
  const requested: NormalizedInformerKey[] = [];
  const factory = new DynamicSharedInformerFactory({
    clock,
    random: () => 0,
    warn: () => {},
    idleGraceMs: 30_000,
    informerOptions: () => ({ reflector: { useWatchList: false } }),
    listerWatcherFor: (key) => {
      requested.push(key);
      const id = informerKeyString(key);
      let c = clusters.get(id);
      if (!c) {
        c = new FakeCluster();
        clusters.set(id, c);
      }
      return c;
    },
    ...options,
  });
  factories.push(factory);
  const cluster = (key: InformerKey) => clusters.get(informerKeyString(key))!;
  return { clock, factory, cluster, requested };
}

describe('DynamicSharedInformerFactory', () => {
  it('SI-11/SI-12: the same key gives the same informer; a different namespace or selector does not', () => {
    const { factory, requested } = setup();
    const a = factory.informerFor(pods);
    expect(factory.informerFor({ ...pods, namespace: '', labelSelector: '' })).toBe(a);
    expect(factory.informerFor({ ...pods, namespace: 'default' })).not.toBe(a);
    expect(factory.informerFor({ ...pods, labelSelector: 'app=web' })).not.toBe(a);
    expect(factory.informerFor({ ...pods, context: 'other' })).not.toBe(a);
    expect(requested).toHaveLength(4);
    expect(factory.forResource(pods).informer).toBe(a);
    expect(() => factory.informerFor({ context: '', gvr: pods.gvr })).toThrow('context is required');
    expect(() =>
      factory.informerFor({ context: 'x', gvr: { group: '', version: '', resource: 'pods' } }),
    ).toThrow(/version/);
  });

  it('BR-09/SI-11: one watch per key however many views; start() starts pending and later informers', async () => {
    const { factory, cluster } = setup();
    const informer = factory.informerFor(pods);
    const unsubs = [
      informer.subscribe(() => {}),
      informer.subscribe(() => {}),
      informer.addEventHandler({}).remove,
    ];
    expect(informer.isStarted()).toBe(false);
    factory.start();
    await flush();
    const later = factory.informerFor({ ...pods, namespace: 'ns' });
    await flush();
    expect(later.isStarted()).toBe(true);
    expect(cluster(pods).openWatchCount()).toBe(1);
    factory.start(); // again: nothing new to start
    await flush();
    expect(cluster(pods).watchCalls).toHaveLength(1);
    for (const u of unsubs) u();
  });

  it('SI-11: waitForCacheSync reports per started informer; shutdown stops all; start after it is a no-op', async () => {
    const { factory, clock } = setup();
    const a = factory.informerFor(pods);
    const b = factory.informerFor({ ...pods, namespace: 'x' });
    a.subscribe(() => {});
    b.subscribe(() => {});
    factory.start();
    const result = factory.waitForCacheSync(new AbortController().signal);
    await flush();
    await clock.advance(100);
    expect(Array.from((await result).values())).toEqual([true, true]);
    await factory.shutdown();
    expect(a.isStopped() && b.isStopped()).toBe(true);
    factory.start();
    const c = factory.informerFor({ ...pods, namespace: 'y' });
    expect(c.isStarted()).toBe(false);
  });

  it('stops an informer nobody uses after the grace period and restarts it from its cache', async () => {
    const { factory, clock, cluster } = setup();
    factory.start();
    const first = factory.informerFor(pods);
    const unsubscribe = first.subscribe(() => {});
    await flush();
    cluster(pods).upsert('a', 'x');
    cluster(pods).upsert('a', 'y');
    await flush();
    unsubscribe();
    await clock.advance(29_999);
    expect(first.isStopped()).toBe(false);
    const again = first.subscribe(() => {}); // wanted again within the grace: the timer is disarmed
    await clock.advance(60_000);
    expect(first.isStopped()).toBe(false);
    again();
    await clock.advance(30_000);
    await flush();
    expect(first.isStopped()).toBe(true);
    expect(cluster(pods).openWatchCount()).toBe(0);
    expect(factory.runningKeys()).toEqual([]);

    cluster(pods).remove('a', 'x');
    const second = factory.informerFor(pods);
    expect(second).not.toBe(first);
    // Seeded from the stopped informer: data at once, stale until the list at its RV lands.
    expect(second.getIndexer().listKeys().sort()).toEqual(['a/x', 'a/y']);
    expect(second.hasSynced()).toBe(false);
    const reg = second.addEventHandler({});
    await flush();
    expect(cluster(pods).listCalls.at(-1)).toEqual({ resourceVersion: '3' });
    expect(second.getIndexer().listKeys()).toEqual(['a/y']);
    expect(second.hasSynced()).toBe(true);
    reg.remove();
  });

  it('an informer started without consumers stops after the grace period', async () => {
    const { factory, clock } = setup();
    const informer = factory.informerFor(pods);
    factory.start();
    await flush();
    await clock.advance(30_000);
    await flush();
    expect(informer.isStopped()).toBe(true);
  });

  it('SI-11: applies the custom resync period and the transform', async () => {
    const { factory, cluster, clock } = setup({
      defaultResyncMs: 60_000,
      customResyncMs: (k) => (k.namespace === 'fast' ? 1000 : undefined),
      transform: (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, managedFields: undefined } }),
    });
    const key = { ...pods, namespace: 'fast' };
    const informer = factory.informerFor(key);
    const updates: string[] = [];
    informer.addEventHandler({ onUpdate: (_o, n) => void updates.push(n.metadata!.name!) });
    factory.start();
    await flush();
    cluster(key).upsert('fast', 'p', { metadata: { managedFields: [{ manager: 'kubectl' }] } });
    await flush();
    expect(informer.getIndexer().getByKey('fast/p')?.metadata?.managedFields).toBeUndefined();
    await clock.advance(1000);
    await flush();
    expect(updates).toEqual(['p']);
  });

  it('BR-06: retryNow makes every running informer retry at once; status subscribers count as consumers', async () => {
    const { factory, cluster, clock } = setup();
    const informer = factory.informerFor(pods);
    const phases: string[] = [];
    const off = informer.subscribeStatus((s) => phases.push(s.phase));
    factory.start();
    await flush();
    cluster(pods).listFailures.push(statusError(503, 'ServiceUnavailable'));
    clock.step(1000);
    cluster(pods).errorWatches({
      kind: 'Status',
      status: 'Failure',
      code: 500,
      reason: 'InternalError',
      message: 'x',
    });
    await flush();
    expect(informer.status().phase).toBe('backoff');
    factory.retryNow();
    await flush();
    expect(informer.status().phase).toBe('backoff'); // the relist failed: a second backoff
    factory.retryNow();
    await flush();
    expect(informer.status().phase).toBe('watching');
    expect(cluster(pods).listCalls).toHaveLength(3);
    expect(phases).toContain('backoff');
    await clock.advance(60_000);
    expect(informer.isStopped()).toBe(false); // the status subscriber keeps it alive
    off();
  });
});
