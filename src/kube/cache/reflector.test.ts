import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.ts';
import { FakeClock } from '../clock/fake-clock.ts';
import { IndexerCache } from './indexer.ts';
import { Reflector, type ReflectorOptions, type ReflectorStatus } from './reflector.ts';
import { expiredStatus, FakeCluster, FakeWatch, statusError } from './testing/fake-cluster.ts';
import { flush } from './testing/flush.ts';

const controllers: AbortController[] = [];
afterEach(() => {
  for (const c of controllers.splice(0)) c.abort();
});

function setup(options: ReflectorOptions<KubeObject> = {}, cluster = new FakeCluster()) {
  const clock = new FakeClock(1_000_000);
  const store = new IndexerCache();
  const errors: unknown[] = [];
  const warnings: string[] = [];
  const reflector = new Reflector(cluster, store, {
    clock,
    random: () => 0,
    useWatchList: false,
    watchErrorHandler: (e) => errors.push(e),
    warn: (m) => warnings.push(m),
    ...options,
  });
  const stop = new AbortController();
  controllers.push(stop);
  const done = reflector.run(stop.signal);
  return { clock, store, cluster, reflector, stop, done, errors, warnings };
}

function storeState(store: IndexerCache): Map<string, string> {
  return new Map(
    store
      .list()
      .map((o) => [`${o.metadata?.namespace}/${o.metadata?.name}`, o.metadata?.resourceVersion ?? '']),
  );
}

describe('Reflector', () => {
  it('R-09/R-11/R-13: lists, then watches from the list RV and applies events in order', async () => {
    const cluster = new FakeCluster();
    cluster.upsert('a', 'x');
    const t = setup({}, cluster);
    await flush();
    expect(t.reflector.hasSynced()).toBe(true);
    expect(cluster.listCalls).toEqual([{ resourceVersion: '0', limit: 500 }]);
    cluster.upsert('a', 'y');
    cluster.upsert('a', 'x');
    cluster.remove('a', 'y');
    await flush();
    expect(storeState(t.store)).toEqual(cluster.state());
    expect(t.reflector.lastSyncResourceVersion()).toBe(cluster.resourceVersion);
    expect(t.reflector.status().phase).toBe('watching');
  });

  it('R-01: watch options carry bookmarks and a timeout drawn from [300, 600) per request', async () => {
    let r = 0.5;
    const t = setup({ random: () => r });
    await flush();
    r = 0.999;
    t.clock.step(1000); // long enough not to be a very short watch
    t.cluster.closeWatches();
    await flush();
    expect(t.cluster.watchCalls[0]).toMatchObject({
      allowWatchBookmarks: true,
      timeoutSeconds: 450,
      resourceVersion: '1',
    });
    expect(t.cluster.watchCalls[1]?.timeoutSeconds).toBe(599);
  });

  it('R-16: a dropped connection resumes the watch from lastSyncRV with no relist', async () => {
    const t = setup();
    await flush();
    t.cluster.upsert('a', 'x');
    await flush();
    t.clock.step(2000);
    t.cluster.closeWatches();
    t.cluster.upsert('a', 'y'); // happens while disconnected; history replays it
    await flush();
    expect(t.cluster.listCalls).toHaveLength(1);
    expect(t.cluster.watchCalls.at(-1)?.resourceVersion).toBe('2');
    expect(storeState(t.store)).toEqual(t.cluster.state());
  });

  it('R-18/R-20: after a 410 ERROR event it relists at lastSyncRV after backoff; the store equals the server', async () => {
    const t = setup();
    await flush();
    for (const n of ['p', 'q', 'r']) t.cluster.upsert('a', n);
    await flush();
    const seenRV = t.reflector.lastSyncResourceVersion();
    t.cluster.closeWatches(); // disconnected...
    t.cluster.remove('a', 'q'); // ...while the server changes and compacts
    t.cluster.upsert('a', 's');
    t.cluster.compact();
    await flush(); // the rewatch from seenRV gets a 410 ERROR event
    expect(t.errors).toHaveLength(1);
    expect(t.reflector.status()).toMatchObject({ phase: 'backoff', retryAt: t.clock.now() + 800 });
    await t.clock.advance(799);
    expect(t.cluster.listCalls).toHaveLength(1);
    await t.clock.advance(1);
    await flush();
    expect(t.cluster.listCalls.at(-1)).toEqual({ resourceVersion: seenRV });
    expect(storeState(t.store)).toEqual(t.cluster.state());
  });

  it('R-08/R-26: a server restarted with a smaller RV is recovered with a quorum relist', async () => {
    const t = setup();
    await flush();
    for (let i = 0; i < 5; i++) t.cluster.upsert('a', `p${i}`);
    await flush();
    t.cluster.restartWithSmallerRV(2);
    t.cluster.remove('a', 'p1');
    await flush(); // rewatch from 6 -> too large -> round ends
    await t.clock.advance(800);
    await flush(); // list at lastSyncRV -> too large -> list at ""
    expect(t.cluster.listCalls.slice(-2)).toEqual([{ resourceVersion: '6' }, { limit: 500 }]);
    expect(storeState(t.store)).toEqual(t.cluster.state());
    expect(t.reflector.lastSyncResourceVersion()).toBe(t.cluster.resourceVersion);
  });

  it('R-12: a 429 on watch start waits one backoff and watches again without relisting', async () => {
    const cluster = new FakeCluster();
    cluster.watchFailures.push(statusError(429, 'TooManyRequests'), new TypeError('fetch failed'));
    const t = setup({}, cluster);
    await flush();
    expect(t.reflector.status().phase).toBe('backoff');
    await t.clock.advance(800);
    await flush();
    await t.clock.advance(1600);
    await flush();
    expect(cluster.watchCalls).toHaveLength(3);
    expect(cluster.listCalls).toHaveLength(1);
    expect(t.errors).toEqual([]);
    expect(t.reflector.status()).toEqual({ phase: 'watching', lastSyncRV: '1' });
  });

  it('R-02/R-03: failing lists retry with doubling backoff and report each error', async () => {
    const cluster = new FakeCluster();
    cluster.listFailures.push(statusError(500, 'InternalError'), statusError(500, 'InternalError'));
    const t = setup({}, cluster);
    await flush();
    await t.clock.advance(799);
    expect(cluster.listCalls).toHaveLength(1);
    await t.clock.advance(1);
    await flush();
    expect(cluster.listCalls).toHaveLength(2);
    await t.clock.advance(1599);
    expect(cluster.listCalls).toHaveLength(2);
    await t.clock.advance(1);
    await flush();
    expect(cluster.listCalls).toHaveLength(3);
    expect(t.errors).toHaveLength(2);
    expect(t.reflector.hasSynced()).toBe(true);
    expect(t.reflector.status().lastError).toBeUndefined();
  });

  it('R-17: very short watches end the round and relist after backoff', async () => {
    const t = setup();
    await flush();
    t.cluster.closeWatches(); // closed at once, nothing received
    await flush();
    expect(String(t.errors[0])).toMatch(/very short watch/);
    await t.clock.advance(800);
    await flush();
    expect(t.cluster.listCalls).toHaveLength(2);
  });

  it('R-10/BR-03: stopping during the list leaves the store alone and reports nothing', async () => {
    const t = setup();
    t.stop.abort();
    await t.done;
    expect(t.store.size).toBe(0);
    expect(t.errors).toEqual([]);
    expect(t.reflector.status().phase).toBe('stopped');
  });

  it('R-22: stopping while watching stops the watch without error or relist', async () => {
    const t = setup();
    await flush();
    const statuses: ReflectorStatus[] = [];
    t.reflector.subscribeStatus((s) => statuses.push(s));
    t.stop.abort();
    await t.done;
    expect(t.cluster.watches[0]?.watch.stopped).toBe(true);
    expect(t.errors).toEqual([]);
    expect(t.cluster.listCalls).toHaveLength(1);
    expect(statuses.map((s) => s.phase)).toEqual(['stopped']);
    await expect(t.reflector.run(new AbortController().signal)).rejects.toThrow(/once/);
  });

  it('BR-07: a watch silent for timeoutSeconds + 5 s is aborted and resumed without a relist', async () => {
    const t = setup({ random: () => 0 }); // timeoutSeconds = 300
    await flush();
    t.clock.step(200_000);
    t.cluster.upsert('a', 'x'); // activity pushes the deadline out
    await flush();
    await t.clock.advance(300_000);
    expect(t.cluster.watchCalls).toHaveLength(1);
    await t.clock.advance(5_000);
    await flush();
    expect(t.cluster.watches[0]?.watch.stopped).toBe(true);
    expect(t.cluster.watchCalls).toHaveLength(2);
    expect(t.cluster.watchCalls[1]?.resourceVersion).toBe('2');
    expect(t.cluster.listCalls).toHaveLength(1);
    expect(t.errors).toEqual([]);
  });

  it('BR-07: a watch request never answered is aborted after timeoutSeconds + 5 s, reported, and retried', async () => {
    const statuses: ReflectorStatus[] = [];
    const t = setup({ random: () => 0 }); // timeoutSeconds = 300
    t.reflector.subscribeStatus((s) => statuses.push(s));
    await flush();
    t.cluster.holdWatchStarts = true;
    t.clock.step(2000);
    t.cluster.closeWatches();
    await flush();
    expect(t.cluster.watchCalls).toHaveLength(2);
    await t.clock.advance(304_000);
    expect(statuses.some((s) => s.phase === 'backoff')).toBe(false);
    await t.clock.advance(1_000);
    await flush();
    const backoff = statuses.find((s) => s.phase === 'backoff');
    expect(String((backoff?.lastError as Error | undefined)?.message)).toMatch(/no response within 305 s/);
    t.cluster.holdWatchStarts = false;
    await t.clock.advance(60_000);
    await flush();
    expect(t.cluster.watchCalls.length).toBeGreaterThanOrEqual(3);
    expect(t.reflector.status().phase).toBe('watching');
    t.cluster.upsert('a', 'late');
    await flush();
    expect(storeState(t.store)).toEqual(t.cluster.state());
  });

  it('BR-06: with a time slice the watch loop yields to the page between slices, in order, losing nothing', async () => {
    let yields = 0;
    let clock: FakeClock | undefined;
    const t = setup({
      timeSlice: {
        sliceMs: 8,
        yieldToPage: async () => {
          yields++;
          await Promise.resolve();
        },
      },
    });
    clock = t.clock;
    await flush();
    // Each event "takes" 3 ms of page time: a yield every third event (at 9 ms ≥ 8 ms).
    const realAdd = t.store.add.bind(t.store);
    const realUpdate = t.store.update.bind(t.store);
    t.store.add = (obj: KubeObject) => {
      clock?.step(3);
      realAdd(obj);
    };
    t.store.update = (obj: KubeObject) => {
      clock?.step(3);
      realUpdate(obj);
    };
    for (let i = 0; i < 9; i++) t.cluster.upsert('a', 'x');
    await flush();
    expect(yields).toBe(3);
    expect(storeState(t.store)).toEqual(t.cluster.state());
    expect(t.reflector.lastSyncResourceVersion()).toBe(t.cluster.resourceVersion);
  });

  it('without a time slice the watch loop never yields (Node, tests)', async () => {
    const t = setup();
    await flush();
    for (let i = 0; i < 50; i++) t.cluster.upsert('a', `p${i}`);
    await flush();
    expect(storeState(t.store)).toEqual(t.cluster.state());
  });

  it('BR-07: lastWatchActivity tracks the open watch’s last event and is undefined without a watch', async () => {
    const t = setup();
    expect(t.reflector.lastWatchActivity()).toBeUndefined();
    await flush();
    const opened = t.reflector.lastWatchActivity();
    expect(opened).toBe(t.clock.now());
    t.clock.step(70_000);
    expect(t.reflector.lastWatchActivity()).toBe(opened); // silence does not move it
    t.cluster.upsert('a', 'x');
    await flush();
    expect(t.reflector.lastWatchActivity()).toBe(t.clock.now());
    t.stop.abort();
    await t.done;
    expect(t.reflector.lastWatchActivity()).toBeUndefined();
  });

  it('R-21: resync runs every period while watching, when shouldResync allows', async () => {
    let allow = true;
    const cluster = new FakeCluster();
    const clock = new FakeClock();
    let resyncs = 0;
    const store = Object.assign(new IndexerCache(), {});
    store.resync = () => {
      resyncs++;
    };
    const stop = new AbortController();
    controllers.push(stop);
    const r = new Reflector(cluster, store, {
      clock,
      useWatchList: false,
      resyncPeriodMs: 1000,
      shouldResync: () => allow,
    });
    void r.run(stop.signal);
    await flush();
    await clock.advance(1000);
    await clock.advance(1000);
    expect(resyncs).toBe(2);
    allow = false;
    await clock.advance(1000);
    expect(resyncs).toBe(2);
    stop.abort();
    await flush();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('R-30/R-31: streams the initial list when the server supports it, and keeps the stream', async () => {
    const cluster = new FakeCluster();
    cluster.upsert('a', 'x');
    cluster.upsert('a', 'y');
    const t = setup({ useWatchList: true }, cluster);
    await flush();
    expect(cluster.listCalls).toHaveLength(0);
    expect(cluster.watchCalls[0]).toMatchObject({
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: true,
    });
    expect(cluster.watchCalls[0]?.resourceVersion).toBeUndefined();
    expect(t.reflector.hasSynced()).toBe(true);
    cluster.upsert('a', 'z');
    await flush();
    expect(cluster.watchCalls).toHaveLength(1);
    expect(storeState(t.store)).toEqual(cluster.state());
  });

  it('R-32: falls back to the classic list when the server rejects streaming', async () => {
    const cluster = new FakeCluster({ supportsWatchList: false });
    cluster.upsert('a', 'x');
    const t = setup({ useWatchList: true }, cluster);
    await flush();
    expect(cluster.listCalls).toHaveLength(1);
    expect(storeState(t.store)).toEqual(cluster.state());
    expect(t.warnings.some((w) => /falling back/.test(w))).toBe(true);
  });

  it('R-06: pages a first list at RV "0" with the explicit page size', async () => {
    const cluster = new FakeCluster();
    for (let i = 0; i < 5; i++) cluster.upsert('a', `p${i}`);
    const t = setup({ pageSize: 2 }, cluster);
    await flush();
    expect(cluster.listCalls.map((c) => c.continue ?? '-')).toHaveLength(3);
    expect(storeState(t.store)).toEqual(cluster.state());
  });

  it('R-15: an ERROR event other than 410 reaches the watch-error handler', async () => {
    const t = setup();
    await flush();
    t.cluster.errorWatches({
      kind: 'Status',
      status: 'Failure',
      code: 500,
      reason: 'InternalError',
      message: 'etcd',
    });
    await flush();
    expect(String(t.errors[0])).toMatch(/etcd/);
    expect(t.cluster.watches[0]?.watch.stopped).toBe(true);
    expect(expiredStatus().code).toBe(410);
  });

  it('R-33: warns every 10 s while the initial-events-end bookmark has not arrived', async () => {
    // A server that ignores sendInitialEvents: the watch opens but no bookmark ever comes.
    const silent = new FakeCluster();
    silent.watch = async (options, signal) => {
      silent.watchCalls.push(options);
      return new FakeWatch(signal);
    };
    const t = setup({ useWatchList: true }, silent);
    await flush();
    await t.clock.advance(10_000);
    await t.clock.advance(10_000);
    expect(t.warnings.filter((m) => /initial-events-end/.test(m))).toHaveLength(2);
    expect(t.reflector.hasSynced()).toBe(false);
    expect(t.reflector.status().phase).toBe('listing');
  });

  it('bad input: nameless list items are skipped with a warning, the rest is stored', async () => {
    const cluster = new FakeCluster();
    cluster.upsert('a', 'good');
    const list = cluster.list.bind(cluster);
    cluster.list = async (o, signal) => {
      const l = await list(o, signal);
      return { ...l, items: [...l.items, { kind: 'Pod', metadata: {} }, null as unknown as KubeObject] };
    };
    const t = setup({}, cluster);
    await flush();
    expect(t.store.listKeys()).toEqual(['a/good']);
    expect(t.warnings).toContain('skipping 2 list item(s) without metadata.name');
  });

  it('bad input: a list whose replace throws is reported, and the round is retried', async () => {
    const cluster = new FakeCluster();
    cluster.upsert('a', 'x');
    const clock = new FakeClock();
    const errors: unknown[] = [];
    let fail = true;
    const store = new IndexerCache();
    const replace = store.replace.bind(store);
    store.replace = (items, rv) => {
      if (fail) throw new Error('transform bug');
      replace(items, rv);
    };
    const stop = new AbortController();
    controllers.push(stop);
    const r = new Reflector(cluster, store, {
      clock,
      useWatchList: false,
      watchErrorHandler: (e) => errors.push(e),
      warn: () => {},
    });
    void r.run(stop.signal);
    await flush();
    expect(String(errors[0])).toMatch(/transform bug/);
    expect(r.status()).toMatchObject({ phase: 'backoff', lastError: errors[0] });
    expect(cluster.watchCalls).toHaveLength(0); // no watch on top of a failed sync
    fail = false;
    await clock.advance(1600); // at most one jittered first backoff
    await flush();
    expect(store.listKeys()).toEqual(['a/x']);
    expect(r.status().lastError).toBeUndefined();
  });

  it('BR-06: retryNow cuts a backoff short and resumes a long-open watch without a relist', async () => {
    const cluster = new FakeCluster();
    cluster.listFailures.push(statusError(503, 'ServiceUnavailable'));
    const t = setup({}, cluster);
    await flush();
    expect(t.reflector.status().phase).toBe('backoff');
    t.reflector.retryNow();
    await flush();
    expect(cluster.listCalls).toHaveLength(2);
    expect(t.reflector.status().phase).toBe('watching');
    t.reflector.retryNow(); // the watch is younger than 1 s: left alone
    await flush();
    expect(cluster.watchCalls).toHaveLength(1);
    await t.clock.advance(1000);
    cluster.upsert('a', 'x');
    await flush();
    t.reflector.retryNow();
    await flush();
    expect(cluster.watches[0]?.watch.stopped).toBe(true);
    expect(cluster.watchCalls).toHaveLength(2);
    expect(cluster.watchCalls[1]?.resourceVersion).toBe('2');
    expect(cluster.listCalls).toHaveLength(2);
    expect(t.errors).toHaveLength(1);
  });
});
