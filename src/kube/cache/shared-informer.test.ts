import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.ts';
import { FakeClock } from '../clock/fake-clock.ts';
import type { ChangeBatch } from './change-batcher.ts';
import type { CacheKey } from './persistence.ts';
import type { ResourceEventHandler } from './processor-listener.ts';
import { SharedIndexInformer, type SharedIndexInformerOptions } from './shared-informer.ts';
import { DeletedFinalStateUnknown } from './store.ts';
import { FakeCluster, statusError } from './testing/fake-cluster.ts';
import { flush } from './testing/flush.ts';
import { MemoryPersistence } from './testing/memory-persistence.ts';

const controllers: AbortController[] = [];
afterEach(() => {
  for (const c of controllers.splice(0)) c.abort();
});

type Rec = string[];

function recorder(log: Rec, name = ''): ResourceEventHandler {
  const id = (o: KubeObject | DeletedFinalStateUnknown) =>
    o instanceof DeletedFinalStateUnknown
      ? `tombstone(${o.key})`
      : `${o.metadata?.name}@${o.metadata?.resourceVersion}`;
  return {
    onAdd: (o, initial) => void log.push(`${name}add ${id(o)}${initial ? ' initial' : ''}`),
    onUpdate: (o, n) => void log.push(`${name}update ${id(o)}->${id(n)}`),
    onDelete: (o) => void log.push(`${name}delete ${id(o)}`),
  };
}

function setup(cluster = new FakeCluster(), options: SharedIndexInformerOptions<KubeObject> = {}) {
  const clock = new FakeClock(1_000_000);
  const warnings: string[] = [];
  const informer = new SharedIndexInformer(cluster, {
    clock,
    random: () => 0,
    warn: (m) => warnings.push(m),
    reflector: { useWatchList: false },
    ...options,
  });
  const stop = new AbortController();
  controllers.push(stop);
  const start = () => informer.run(stop.signal);
  return { clock, informer, cluster, stop, start, warnings };
}

const KEY: CacheKey = {
  context: 'ctx',
  server: 'https://k',
  user: 'me',
  group: '',
  version: 'v1',
  resource: 'pods',
  namespace: '',
  labelSelector: '',
  fieldSelector: '',
};

describe('SharedIndexInformer', () => {
  it('SI-02: tells handlers about adds, updates and deletes after the indexer has them', async () => {
    const cluster = new FakeCluster();
    cluster.upsert('a', 'x');
    const t = setup(cluster);
    const log: Rec = [];
    const seenInIndexer: boolean[] = [];
    t.informer.addEventHandler(recorder(log));
    t.informer.addEventHandler({
      onAdd: (o) => void seenInIndexer.push(t.informer.lister().namespace('a').get(o.metadata!.name!) === o),
    });
    void t.start();
    await flush();
    cluster.upsert('a', 'x');
    cluster.upsert('a', 'y');
    cluster.remove('a', 'x');
    await flush();
    expect(log).toEqual(['add x@2 initial', 'update x@2->x@3', 'add y@4', 'delete x@5']);
    expect(seenInIndexer).toEqual([true, true]);
    expect(t.informer.hasSynced()).toBe(true);
  });

  it('SI-06: a late handler gets a replay of the cache, then changes, never interleaved', async () => {
    const cluster = new FakeCluster();
    cluster.upsert('a', 'x');
    cluster.upsert('a', 'y');
    const t = setup(cluster);
    void t.start();
    await flush();
    const log: Rec = [];
    const reg = t.informer.addEventHandler(recorder(log));
    expect(reg.hasSynced()).toBe(false); // SI-07: the replay is not delivered yet
    cluster.upsert('a', 'x');
    await flush();
    expect(log).toEqual(['add x@2 initial', 'add y@3 initial', 'update x@2->x@4']);
    expect(reg.hasSynced()).toBe(true);
  });

  it('SI-07: removal stops delivery; adding to a stopped informer throws', async () => {
    const t = setup();
    const log: Rec = [];
    const reg = t.informer.addEventHandler(recorder(log));
    const done = t.start();
    await flush();
    reg.remove();
    t.cluster.upsert('a', 'x');
    await flush();
    expect(log).toEqual([]);
    t.stop.abort();
    await done;
    expect(() => t.informer.addEventHandler({})).toThrow(/stopped informer/);
    expect(() => t.informer.addIndexers({ x: () => [] })).toThrow(/stopped/);
  });

  it('SI-08: transform and watch-error handler only before start; SI-01: run twice warns', async () => {
    const cluster = new FakeCluster();
    cluster.upsert('a', 'x', { metadata: { managedFields: [{ manager: 'm' }] } });
    const t = setup(cluster);
    const errors: unknown[] = [];
    t.informer.setTransform((o) => ({ ...o, metadata: { ...o.metadata, managedFields: undefined } }));
    t.informer.setWatchErrorHandler((e) => errors.push(e));
    void t.start();
    await flush();
    expect(() => t.informer.setTransform((o) => o)).toThrow('informer has already started');
    expect(() => t.informer.setWatchErrorHandler(() => {})).toThrow('informer has already started');
    expect(t.informer.getIndexer().getByKey('a/x')?.metadata?.managedFields).toBeUndefined();
    await t.informer.run(new AbortController().signal);
    expect(t.warnings).toContain('the informer has already been started');
    cluster.errorWatches({
      kind: 'Status',
      status: 'Failure',
      code: 500,
      reason: 'InternalError',
      message: 'x',
    });
    await flush();
    expect(errors).toHaveLength(1);
  });

  it('SI-03/SI-04: resync goes only to handlers whose own period is due', async () => {
    const cluster = new FakeCluster();
    cluster.upsert('a', 'x');
    const t = setup(cluster, { resyncPeriodMs: 5000 });
    const fast: Rec = [];
    const none: Rec = [];
    const dflt: Rec = [];
    t.informer.addEventHandler(recorder(fast), 500); // raised to 1 s; lowers the check period to 1 s
    t.informer.addEventHandler(recorder(none), 0);
    t.informer.addEventHandler(recorder(dflt)); // the informer default, 5 s
    void t.start();
    await flush();
    await t.clock.advance(1000);
    await flush();
    expect(fast).toEqual(['add x@2 initial', 'update x@2->x@2']);
    expect(none).toEqual(['add x@2 initial']);
    expect(dflt).toEqual(['add x@2 initial']);
    // After start, a shorter period is raised to the check period (1 s).
    const late: Rec = [];
    t.informer.addEventHandler(recorder(late), 1000);
    for (let i = 0; i < 4; i++) {
      await t.clock.advance(1000);
      await flush();
    }
    expect(fast).toHaveLength(6);
    expect(late).toHaveLength(5);
    expect(dflt).toEqual(['add x@2 initial', 'update x@2->x@2']);
    expect(none).toHaveLength(1);
  });

  it('SI-04: with no informer resync period, handler periods never fire (upstream semantics)', async () => {
    const cluster = new FakeCluster();
    cluster.upsert('a', 'x');
    const t = setup(cluster);
    const log: Rec = [];
    t.informer.addEventHandler(recorder(log), 1000);
    void t.start();
    await flush();
    await t.clock.advance(5000);
    await flush();
    expect(log).toEqual(['add x@2 initial']);
  });

  it('SI-05: a throwing handler drops that notification and pauses ~1 s; others are unaffected', async () => {
    const t = setup();
    const good: Rec = [];
    const bad: Rec = [];
    t.informer.addEventHandler(recorder(good));
    t.informer.addEventHandler({
      onAdd: (o) => {
        bad.push(o.metadata!.name!);
        if (o.metadata?.name === 'boom') throw new Error('handler bug');
      },
    });
    void t.start();
    await flush();
    t.cluster.upsert('a', 'boom');
    t.cluster.upsert('a', 'next');
    await flush();
    expect(good).toEqual(['add boom@2', 'add next@3']);
    expect(bad).toEqual(['boom']);
    await t.clock.advance(1000);
    await flush();
    expect(bad).toEqual(['boom', 'next']);
    expect(t.warnings.some((w) => /handler failed/.test(w))).toBe(true);
  });

  it('SI-05: a slow async handler delays only its own listener', async () => {
    const t = setup();
    const fast: Rec = [];
    const slow: Rec = [];
    let release: () => void = () => {};
    t.informer.addEventHandler(recorder(fast));
    t.informer.addEventHandler({
      onAdd: async (o) => {
        slow.push(o.metadata!.name!);
        await new Promise<void>((r) => {
          release = r;
        });
      },
    });
    void t.start();
    await flush();
    t.cluster.upsert('a', 'one');
    t.cluster.upsert('a', 'two');
    await flush();
    expect(fast).toHaveLength(2);
    expect(slow).toEqual(['one']);
    release();
    await flush();
    expect(slow).toEqual(['one', 'two']);
  });

  it('SI-09: waitForCacheSync polls every 100 ms on the clock and resolves false on abort', async () => {
    const cluster = new FakeCluster();
    cluster.listFailures.push(statusError(500, 'InternalError'));
    const t = setup(cluster);
    void t.start();
    let synced: boolean | undefined;
    void t.informer.waitForCacheSync(t.stop.signal).then((v) => {
      synced = v;
    });
    await flush();
    expect(synced).toBeUndefined();
    await t.clock.advance(800); // backoff, then the list succeeds
    await flush();
    await t.clock.advance(100);
    await flush();
    expect(synced).toBe(true);
    const never = new SharedIndexInformer(new FakeCluster(), { clock: t.clock });
    const abort = new AbortController();
    const waiting = never.waitForCacheSync(abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
  });

  it('subscribe: many events become one batch of changed keys per flush', async () => {
    const flushes: (() => void)[] = [];
    const t = setup(new FakeCluster(), { scheduler: (f) => void flushes.push(f) });
    const batches: ChangeBatch[] = [];
    t.informer.subscribe((b) => batches.push(b));
    void t.start();
    await flush();
    for (let i = 0; i < 100; i++) t.cluster.upsert('a', `p${i % 10}`);
    await flush();
    expect(flushes.length).toBe(1);
    flushes.shift()!();
    expect(batches).toHaveLength(1);
    expect(batches[0]!.keys.size).toBe(10);
    expect(batches[0]!.synced).toBe(true);
    t.cluster.remove('a', 'p3');
    await flush();
    flushes.shift()!();
    expect(Array.from(batches[1]!.keys)).toEqual(['a/p3']);
  });

  it('subscribe: an empty list still tells views the informer synced', async () => {
    const flushes: (() => void)[] = [];
    const t = setup(new FakeCluster(), { scheduler: (f) => void flushes.push(f) });
    const batches: ChangeBatch[] = [];
    t.informer.subscribe((b) => batches.push(b));
    void t.start();
    await flush();
    for (const f of flushes.splice(0)) f();
    expect(batches).toEqual([{ keys: new Set(), synced: true }]);
  });

  it('BR-08: warm start serves the stored cache at once, stale, then lists at its RV and tombstones deletions', async () => {
    const cluster = new FakeCluster();
    const kept = cluster.upsert('a', 'kept'); // rv 2
    const gone = cluster.upsert('a', 'gone'); // rv 3
    const persistence = new MemoryPersistence();
    persistence.seed(KEY, cluster.resourceVersion, [kept, gone]);
    cluster.remove('a', 'gone'); // deleted while the page was closed
    cluster.upsert('a', 'new');
    cluster.listFailures.push(new TypeError('offline for a moment'));
    const t = setup(cluster, { persistence: { store: persistence, key: KEY, writeDelayMs: 100 } });
    const log: Rec = [];
    const reg = t.informer.addEventHandler(recorder(log));
    void t.start();
    await flush();
    // Served from storage, not synced: the list failed.
    expect(t.informer.getIndexer().listKeys().sort()).toEqual(['a/gone', 'a/kept']);
    expect(t.informer.hasSynced()).toBe(false);
    expect(reg.hasSynced()).toBe(false);
    expect(cluster.listCalls[0]).toEqual({ resourceVersion: '3' }); // R-05 + R-06: at the stored RV, unpaged
    await t.clock.advance(800);
    await flush();
    expect(t.informer.hasSynced()).toBe(true);
    expect(t.informer.getIndexer().listKeys().sort()).toEqual(['a/kept', 'a/new']);
    expect(log).toEqual([
      'add kept@2 initial',
      'add gone@3 initial',
      'update kept@2->kept@2', // restored objects are confirmed as real updates
      'add new@5 initial',
      'delete tombstone(a/gone)',
    ]);
    await t.clock.advance(100);
    await flush();
    expect(persistence.writes).toHaveLength(1);
    // The relist is persisted whole (a replace without the object deleted while we were away).
    expect(persistence.writes[0]).toMatchObject({ replace: true, deletes: [], resourceVersion: '5' });
    expect(persistence.writes[0]!.upserts.map((o) => o.metadata?.name).sort()).toEqual(['kept', 'new']);
    expect(persistence.stored(KEY)).toEqual({ rv: '5', keys: ['a/kept', 'a/new'] });
  });

  it('BR-08: a 410 on resume relists with a quorum read and keeps serving the stored cache meanwhile', async () => {
    const cluster = new FakeCluster();
    const a = cluster.upsert('a', 'a');
    const persistence = new MemoryPersistence();
    persistence.seed(KEY, '2', [a]);
    cluster.upsert('a', 'b');
    cluster.compact();
    cluster.listFailures.push(statusError(410, 'Expired'));
    const t = setup(cluster, { persistence: { store: persistence, key: KEY } });
    void t.start();
    await flush();
    expect(cluster.listCalls).toEqual([{ resourceVersion: '2' }, { limit: 500 }]);
    expect(t.informer.getIndexer().listKeys().sort()).toEqual(['a/a', 'a/b']);
    expect(t.informer.hasSynced()).toBe(true);
  });

  it('BR-08: stripped (stale) restored objects are replaced by the live list even at the same RV', async () => {
    const cluster = new FakeCluster();
    const secret = cluster.upsert('a', 's', { kind: 'Secret', data: { password: 'aHVudGVyMg==' } });
    const stripped: KubeObject = { ...secret, data: undefined };
    const persistence = new MemoryPersistence();
    persistence.seed(KEY, cluster.resourceVersion, [stripped]);
    const t = setup(cluster, { persistence: { store: persistence, key: KEY } });
    const log: Rec = [];
    t.informer.addEventHandler({ onUpdate: (_o, n) => void log.push(JSON.stringify(n.data)) });
    void t.start();
    await flush();
    expect(t.informer.getIndexer().getByKey('a/s')?.data).toEqual({ password: 'aHVudGVyMg==' });
    expect(log).toEqual(['{"password":"aHVudGVyMg=="}']);
  });

  it('BR-08: a cold start writes the whole cache once, as a replace, after the sync', async () => {
    const cluster = new FakeCluster();
    cluster.upsert('a', 'x');
    cluster.upsert('a', 'y');
    const persistence = new MemoryPersistence();
    persistence.loadError = new Error('IndexedDB unavailable');
    const t = setup(cluster, { persistence: { store: persistence, key: KEY, writeDelayMs: 100 } });
    const done = t.start();
    await flush();
    await t.clock.advance(100);
    await flush();
    expect(persistence.writes).toHaveLength(1);
    expect(persistence.writes[0]).toMatchObject({ replace: true, resourceVersion: '3' });
    cluster.upsert('a', 'x');
    cluster.upsert('a', 'x');
    await flush();
    t.stop.abort();
    await done; // the final flush happens on stop
    expect(persistence.writes).toHaveLength(2);
    expect(persistence.writes[1]).toMatchObject({ replace: false, resourceVersion: '5', deletes: [] });
    expect(persistence.writes[1]!.upserts).toHaveLength(1);
    expect(t.warnings.some((w) => /starting cold/.test(w))).toBe(true);
  });
});
