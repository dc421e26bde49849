// Watch semantics through the whole request path: the watch row of the "Server RV semantics"
// table (client-go-semantics.md §12), WS-01/02/07/08, R-30 streaming lists, selectors, and the
// stream lifecycle (timeout, abort, overflow, close).
import { afterEach, describe, expect, it } from 'vitest';
import { createSimCluster, type SimCluster, type SimClusterOptions } from './sim-cluster.ts';
import { bodyJson, buildSimRequest, readWatchEvents, type WatchLine } from './sim-request-builder.ts';
import { TOO_LARGE_WAIT_MS } from './watch.ts';

const PODS = { group: '', version: 'v1', resource: 'pods' };
let clusters: SimCluster[] = [];

afterEach(() => {
  for (const c of clusters) c.close();
  clusters = [];
});

function setup(opts: SimClusterOptions = {}) {
  const cluster = createSimCluster(opts);
  clusters.push(cluster);
  const watch = (
    query: Record<string, string>,
    init: { signal?: AbortSignal; headers?: Record<string, string>; path?: string } = {},
  ) =>
    cluster.handle(
      buildSimRequest(init.path ?? '/api/v1/pods', {
        query: { watch: 'true', ...query },
        ...(init.signal ? { signal: init.signal } : {}),
        ...(init.headers ? { headers: init.headers } : {}),
      }),
    );
  const pod = (name: string, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}) =>
    cluster.create(PODS, { metadata: { name, namespace: 'default', labels }, ...extra });
  return { cluster, watch, pod };
}

const summary = (events: WatchLine[]) =>
  events.map((e) => `${e.type} ${String(e.object.metadata?.name ?? e.object.metadata?.resourceVersion)}`);

describe('watch: Server RV semantics', () => {
  it('WS-01: answers 200 application/json with a streamed body of newline-terminated events', async () => {
    const { watch, pod } = setup();
    pod('a');
    const res = await watch({});
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(typeof res.body).toBe('object');
    const it = (res.body as AsyncIterable<string>)[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value).toMatch(/^\{"type":"ADDED","object":\{.*\}\}\n$/);
    await it.return?.();
  });

  it('watch, RV unset: synthetic ADDED of the current state, then live events', async () => {
    const { watch, pod, cluster } = setup();
    pod('a');
    pod('b');
    const res = await watch({});
    pod('c');
    cluster.delete(PODS, 'default', 'a');
    expect(summary(await readWatchEvents(res, 4))).toEqual(['ADDED a', 'ADDED b', 'ADDED c', 'DELETED a']);
  });

  it('watch, RV="0": same as unset (state then live)', async () => {
    const { watch, pod } = setup();
    pod('a');
    const res = await watch({ resourceVersion: '0' });
    pod('b');
    expect(summary(await readWatchEvents(res, 2))).toEqual(['ADDED a', 'ADDED b']);
  });

  it('watch, RV=N: replays history after N with no synthetic ADDED, then goes live', async () => {
    const { watch, pod, cluster } = setup();
    pod('a');
    const n = cluster.resourceVersion();
    const b = pod('b');
    cluster.update(PODS, { ...b, spec: { nodeName: 'x' } });
    const res = await watch({ resourceVersion: n });
    pod('c');
    const events = await readWatchEvents(res, 3);
    expect(summary(events)).toEqual(['ADDED b', 'MODIFIED b', 'ADDED c']);
    expect(Number(events[0]?.object.metadata?.resourceVersion)).toBeGreaterThan(Number(n));
  });

  it('WS-07/PG-10: RV older than the history window gets one 410 Expired ERROR event, then the stream ends', async () => {
    const { watch, pod } = setup({ historyWindow: 2 });
    pod('a');
    for (let i = 0; i < 4; i++) pod(`p${i}`);
    const events = await readWatchEvents(await watch({ resourceVersion: '5' }), 5);
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe('ERROR');
    expect(events[0]?.object).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      code: 410,
      reason: 'Expired',
    });
    expect(String(events[0]?.object.message)).toMatch(/^too old resource version: 5 \(\d+\)$/);
  });

  it('compact() makes every resume 410', async () => {
    const { watch, pod, cluster } = setup();
    pod('a');
    const n = cluster.resourceVersion();
    pod('b');
    cluster.compact();
    const events = await readWatchEvents(await watch({ resourceVersion: n }), 2);
    expect(events.map((e) => e.type)).toEqual(['ERROR']);
  });

  it('a watch from an RV the server has not reached waits and sends only later events', async () => {
    const { watch, pod, cluster } = setup();
    const future = String(Number(cluster.resourceVersion()) + 2);
    const res = await watch({ resourceVersion: future });
    pod('a');
    pod('b');
    pod('c');
    expect(summary(await readWatchEvents(res, 1))).toEqual(['ADDED c']);
  });
});

describe('watch: bookmarks and streaming lists', () => {
  it('WS-08: allowWatchBookmarks sends periodic BOOKMARKs with only kind, apiVersion and resourceVersion', async () => {
    const { watch, pod, cluster } = setup({ bookmarkIntervalMs: 20 });
    pod('a');
    const res = await watch({ resourceVersion: cluster.resourceVersion(), allowWatchBookmarks: 'true' });
    const events = await readWatchEvents(res, 1);
    expect(events[0]).toEqual({
      type: 'BOOKMARK',
      object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: cluster.resourceVersion() } },
    });
  });

  it('sends no bookmarks unless asked', async () => {
    const { watch, cluster } = setup({ bookmarkIntervalMs: 10 });
    const events = await readWatchEvents(await watch({ resourceVersion: cluster.resourceVersion() }), 1, 100);
    expect(events).toEqual([]);
  });

  it('R-30: sendInitialEvents=true streams ADDED for the state, then the initial-events-end BOOKMARK, then live', async () => {
    const { watch, pod, cluster } = setup();
    pod('a');
    pod('b');
    const rv = cluster.resourceVersion();
    const res = await watch({
      sendInitialEvents: 'true',
      resourceVersionMatch: 'NotOlderThan',
      allowWatchBookmarks: 'true',
    });
    pod('c');
    const events = await readWatchEvents(res, 4);
    expect(summary(events)).toEqual(['ADDED a', 'ADDED b', `BOOKMARK ${rv}`, 'ADDED c']);
    expect(events[2]?.object.metadata).toEqual({
      resourceVersion: rv,
      annotations: { 'k8s.io/initial-events-end': 'true' },
    });
  });

  it('R-30: without allowWatchBookmarks the initial state is sent but no end bookmark, as the cacher does', async () => {
    const { watch, pod } = setup();
    pod('a');
    const res = await watch({ sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan' });
    pod('b');
    expect(summary(await readWatchEvents(res, 2))).toEqual(['ADDED a', 'ADDED b']);
  });

  it('R-34: sendInitialEvents without resourceVersionMatch=NotOlderThan is 422 Invalid, as the apiserver answers', async () => {
    const { watch } = setup();
    const res = await watch({ sendInitialEvents: 'true' });
    expect(res.status).toBe(422);
    const body = await bodyJson(res);
    expect(body.message).toBe(
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
    );
    expect((await watch({ resourceVersionMatch: 'NotOlderThan' })).status).toBe(422);
  });
});

describe('watch: selectors', () => {
  it('an object that stops matching arrives as DELETED, one that starts matching as ADDED', async () => {
    const { watch, pod, cluster } = setup();
    const a = pod('a', { app: 'web' });
    const res = await watch({ resourceVersion: cluster.resourceVersion(), labelSelector: 'app=web' });
    const moved = cluster.update(PODS, { ...a, metadata: { ...a.metadata, labels: { app: 'db' } } });
    pod('b', { app: 'db' });
    cluster.update(PODS, { ...moved, metadata: { ...moved.metadata, labels: { app: 'web' } } });
    const events = await readWatchEvents(res, 2);
    expect(summary(events)).toEqual(['DELETED a', 'ADDED a']);
    // The DELETED carries the last matching content at the event's RV (cacheWatcher semantics).
    expect(events[0]?.object.metadata?.labels).toEqual({ app: 'web' });
    expect(events[0]?.object.metadata?.resourceVersion).toBe(moved.metadata?.resourceVersion);
  });

  it('field selectors filter watches, including the initial state', async () => {
    const { watch, pod } = setup();
    pod('a', {}, { spec: { nodeName: 'n1' } });
    pod('b', {}, { spec: { nodeName: 'n2' } });
    const res = await watch({ fieldSelector: 'spec.nodeName=n2' });
    pod('c', {}, { spec: { nodeName: 'n2' } });
    expect(summary(await readWatchEvents(res, 2))).toEqual(['ADDED b', 'ADDED c']);
  });

  it('a namespaced watch sees only its namespace', async () => {
    const { watch, pod, cluster } = setup();
    cluster.create({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: 'other' } });
    const res = await watch(
      { resourceVersion: cluster.resourceVersion() },
      { path: '/api/v1/namespaces/other/pods' },
    );
    pod('in-default');
    cluster.create(PODS, { metadata: { name: 'in-other', namespace: 'other' } });
    expect(summary(await readWatchEvents(res, 1))).toEqual(['ADDED in-other']);
  });

  it('the initial state of a namespaced watch is that namespace only, in key order', async () => {
    const { watch, pod, cluster } = setup();
    cluster.create({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: 'default-b' } });
    pod('zeta');
    cluster.create(PODS, { metadata: { name: 'other', namespace: 'default-b' } });
    pod('alpha');
    const res = await watch({}, { path: '/api/v1/namespaces/default/pods' });
    expect(summary(await readWatchEvents(res, 3, 300))).toEqual(['ADDED alpha', 'ADDED zeta']);
  });

  it('a bad selector fails the watch request with 400 before any stream exists', async () => {
    const { watch } = setup();
    expect((await watch({ labelSelector: '=x' })).status).toBe(400);
  });
});

describe('watch: lifecycle', () => {
  it('timeoutSeconds ends the stream cleanly', async () => {
    const { watch, cluster } = setup();
    const res = await watch({ resourceVersion: cluster.resourceVersion(), timeoutSeconds: '1' });
    const started = Date.now();
    const events = await readWatchEvents(res, 10, 5000);
    expect(events).toEqual([]);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(cluster.openWatches()).toBe(0);
  });

  it('aborting the request ends the stream and releases the watcher', async () => {
    const { watch, cluster } = setup();
    const abort = new AbortController();
    const res = await watch({ resourceVersion: cluster.resourceVersion() }, { signal: abort.signal });
    expect(cluster.openWatches()).toBe(1);
    const it = (res.body as AsyncIterable<string>)[Symbol.asyncIterator]();
    const pending = it.next();
    abort.abort();
    expect((await pending).done).toBe(true);
    expect(cluster.openWatches()).toBe(0);
  });

  it('closes a watcher that falls more than watchBufferSize events behind', async () => {
    const { watch, pod, cluster } = setup({ watchBufferSize: 3 });
    const res = await watch({ resourceVersion: cluster.resourceVersion() });
    for (let i = 0; i < 5; i++) pod(`p${i}`);
    expect(cluster.openWatches()).toBe(0);
    expect(await readWatchEvents(res, 5, 200)).toEqual([]);
  });

  it('deleting a CRD sends DELETED for each custom object, then ends watches on its resource', async () => {
    const { watch, cluster } = setup();
    cluster.create(
      { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' },
      {
        metadata: { name: 'things.demo.io' },
        spec: {
          group: 'demo.io',
          scope: 'Cluster',
          names: { plural: 'things', kind: 'Thing' },
          versions: [{ name: 'v1', served: true, storage: true }],
        },
      },
    );
    const things = { group: 'demo.io', version: 'v1', resource: 'things' };
    cluster.create(things, { metadata: { name: 't1' } });
    const res = await watch(
      { resourceVersion: cluster.resourceVersion() },
      { path: '/apis/demo.io/v1/things' },
    );
    cluster.delete(
      { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' },
      '',
      'things.demo.io',
    );
    expect(summary(await readWatchEvents(res, 5))).toEqual(['DELETED t1']);
    expect(cluster.openWatches()).toBe(0);
  });

  it('close() ends every open watch', async () => {
    const { watch, cluster } = setup();
    const a = await watch({});
    const b = await watch({});
    cluster.close();
    expect(await readWatchEvents(a, 1, 200)).toEqual([]);
    expect(await readWatchEvents(b, 1, 200)).toEqual([]);
    expect(cluster.openWatches()).toBe(0);
  });

  it('serialises each event once for every plain watcher of a version', async () => {
    const { watch, pod, cluster } = setup();
    const rv = cluster.resourceVersion();
    const streams = await Promise.all([watch({ resourceVersion: rv }), watch({ resourceVersion: rv })]);
    pod('a');
    const [x, y] = await Promise.all(streams.map((s) => readWatchEvents(s, 1)));
    expect(x).toEqual(y);
    const originalStringify = JSON.stringify;
    let calls = 0;
    JSON.stringify = ((...args: Parameters<typeof JSON.stringify>) => {
      calls++;
      return originalStringify(...args);
    }) as typeof JSON.stringify;
    try {
      const more = await Promise.all([
        watch({ resourceVersion: rv }),
        watch({ resourceVersion: rv }),
        watch({ resourceVersion: rv }),
      ]);
      calls = 0;
      await Promise.all(more.map((s) => readWatchEvents(s, 1)));
      expect(calls).toBe(0); // the ADDED line for "a" was already encoded above
    } finally {
      JSON.stringify = originalStringify;
    }
  });

  it('an event that cannot be encoded becomes one 500 ERROR event and ends the stream', async () => {
    const { watch, pod, cluster } = setup();
    const res = await watch({ resourceVersion: cluster.resourceVersion() });
    // A BigInt cannot be serialised to JSON: the encoder throws for this object.
    pod('a', {}, { spec: { huge: 1n } });
    const events = await readWatchEvents(res, 3);
    expect(events.map((e) => e.type)).toEqual(['ERROR']);
    expect(events[0]?.object).toMatchObject({ code: 500, reason: 'InternalError' });
    expect(cluster.openWatches()).toBe(0);
  });

  it('Table watches carry Table objects, with column definitions only on the first event', async () => {
    const { watch, pod, cluster } = setup();
    const res = await watch(
      { resourceVersion: cluster.resourceVersion() },
      { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json' } },
    );
    pod('a');
    pod('b');
    const events = await readWatchEvents(res, 2);
    expect(events.map((e) => e.object.kind)).toEqual(['Table', 'Table']);
    expect(((events[0] as WatchLine).object.columnDefinitions as unknown[]).length).toBeGreaterThan(0);
    expect(events[1]?.object.columnDefinitions).toEqual([]);
    expect(((events[1] as WatchLine).object.rows as { cells: unknown[] }[])[0]?.cells[0]).toBe('b');
  });
});

describe('watch: an RV the server never reaches', () => {
  it('TE-07: ends with a 504 "Too large resource version" ERROR after the cacher-style wait', async () => {
    const { watch, cluster } = setup();
    const future = String(Number(cluster.resourceVersion()) + 1000);
    const res = await watch({ resourceVersion: future });
    const [event] = await readWatchEvents(res, 1, TOO_LARGE_WAIT_MS + 2000);
    expect(event?.type).toBe('ERROR');
    expect(event?.object).toMatchObject({
      code: 504,
      reason: 'Timeout',
      details: { causes: [{ reason: 'ResourceVersionTooLarge' }] },
    });
  });
});
