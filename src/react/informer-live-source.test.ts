import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/api/types.ts';
import type { CacheDelta, CacheKey, CacheSnapshot, InformerPersistence } from '../kube/cache/persistence.ts';
import { RESTClient } from '../kube/rest/rest-client.ts';
import type { FrameScheduler } from './frame-batcher.ts';
import type { ChangeBatch, LiveSource } from './live-source.ts';
import type { Table } from './server-table.ts';
import type { DeltaRecord } from './table-lister-watcher.ts';
import {
  createTableSourceRegistry,
  type TableSourceKey,
  type TableSourceRegistry,
} from './table-source-registry.ts';

const COLUMNS = [
  { name: 'Name', type: 'string', format: 'name', priority: 0 },
  { name: 'Status', type: 'string', priority: 0 },
];

function obj(name: string, rv: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'ns', name, resourceVersion: rv, uid: `u-${name}`, ...extra },
  };
}
const table = (rv: string, objects: KubeObject[], withColumns = true): Table => ({
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: { resourceVersion: rv },
  ...(withColumns ? { columnDefinitions: COLUMNS } : {}),
  rows: objects.map((o) => ({ cells: [o.metadata?.name, 'Running'], object: o })),
});

/** A tiny apiserver: one Table list answer, and watch streams the test writes to. */
class FakeServer {
  requests: URL[] = [];
  listStatus = 200;
  listBody: unknown = table('10', [obj('a', '9'), obj('b', '10')]);
  #streams: ReadableStreamDefaultController<Uint8Array>[] = [];

  fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    this.requests.push(url);
    if (url.searchParams.get('watch') !== 'true') {
      return new Response(JSON.stringify(this.listBody), {
        status: this.listStatus,
        headers: { 'content-type': 'application/json' },
      });
    }
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        this.#streams.push(c);
        init.signal?.addEventListener('abort', () => {
          try {
            c.close();
          } catch {
            // already closed
          }
        });
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  };

  send(type: string, object: unknown): void {
    const line = new TextEncoder().encode(`${JSON.stringify({ type, object })}\n`);
    for (const c of this.#streams) c.enqueue(line);
  }

  get watching(): number {
    return this.#streams.length;
  }
}

function manualFrames(): { schedule: FrameScheduler; tick(): void } {
  let queue: (() => void)[] = [];
  return {
    schedule(fn) {
      queue.push(fn);
      return () => {
        queue = queue.filter((f) => f !== fn);
      };
    },
    tick() {
      const run = queue;
      queue = [];
      for (const fn of run) fn();
    },
  };
}

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 600; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** InformerPersistence in memory: one snapshot, every write recorded. */
class MemoryPersistence implements InformerPersistence {
  writes: CacheDelta[] = [];
  constructor(public snapshot: CacheSnapshot | undefined) {}
  async load<T extends KubeObject>(_key: CacheKey): Promise<CacheSnapshot<T> | undefined> {
    return this.snapshot as CacheSnapshot<T> | undefined;
  }
  async write<T extends KubeObject>(_key: CacheKey, delta: CacheDelta<T>): Promise<void> {
    this.writes.push(delta);
  }
  async drop(): Promise<void> {}
  async clearContext(): Promise<void> {}
}

const CACHE_KEY: CacheKey = {
  context: 'dev',
  server: 'https://k:6443',
  user: 'me',
  group: '',
  version: 'v1;as=Table',
  resource: 'pods',
  namespace: 'ns',
  labelSelector: 'app=x',
  fieldSelector: '',
};

let registry: TableSourceRegistry | undefined;
afterEach(async () => {
  await registry?.stopAll();
  registry = undefined;
});

const KEY: TableSourceKey = {
  context: 'dev',
  gvr: { group: '', version: 'v1', resource: 'pods' },
  namespace: 'ns',
  labelSelector: 'app=x',
  fieldSelector: '',
};

function setup(
  server: FakeServer,
  persistence?: InformerPersistence,
  onNotFound?: (key: TableSourceKey, error: unknown) => void,
) {
  const frames = manualFrames();
  const client = new RESTClient({
    baseUrl: 'http://127.0.0.1:1/clusters/dev',
    fetch: server.fetch,
    qps: -1,
    maxRetries: 0,
  });
  const reg = createTableSourceRegistry({
    clientFor: () => client,
    scheduleFrame: frames.schedule,
    idleGraceMs: 0,
    warn: () => {},
    ...(persistence ? { persistence: { store: persistence, cacheKeyFor: () => CACHE_KEY } } : {}),
    ...(onNotFound ? { onNotFound } : {}),
  });
  registry = reg;
  const source = reg.get(KEY);
  const batches: ChangeBatch[] = [];
  source.subscribe((b) => batches.push(b));
  return { frames, batches, source, registry: reg, start: () => reg.retain(KEY) };
}

const names = (s: LiveSource) =>
  s
    .getSnapshot()
    .rows.map((r) => r.metadata.name)
    .sort();

const tickUntil = (frames: { tick(): void }, cond: () => boolean, what: string) =>
  until(() => {
    frames.tick();
    return cond();
  }, what);

describe('InformerLiveSource over the shared informer factory', () => {
  it('lists metadata-only Table rows (includeObject=Metadata) with the selectors, then watches from the list RV (R-11)', async () => {
    const server = new FakeServer();
    const { frames, batches, source, start } = setup(server);
    start();
    await until(() => server.watching === 1, 'the watch');
    const [list, watch] = server.requests;
    expect(list?.searchParams.get('includeObject')).toBe('Metadata'); // a list view holds metadata rows (row-object-level.ts);
    expect(list?.searchParams.get('labelSelector')).toBe('app=x');
    expect(watch?.searchParams.get('resourceVersion')).toBe('10');
    expect(watch?.searchParams.get('allowWatchBookmarks')).toBe('true');
    await tickUntil(frames, () => source.getSnapshot().status.phase === 'synced', 'synced');
    const snap = source.getSnapshot();
    expect(names(source)).toEqual(['a', 'b']);
    expect(snap.columns.map((c) => c.name)).toEqual(['Name', 'Status']);
    expect(snap.status).toMatchObject({ phase: 'synced', lastSyncRV: '10', fromCache: false });
    const replaced = batches.filter((b) => b.replaced);
    expect(replaced.length).toBeGreaterThan(0);
    expect(batches.flatMap((b) => b.added).sort()).toEqual(['ns/a', 'ns/b']);
  });

  it('applies watch events in one batch per frame, keeps deleted rows in the batch and indexes owners', async () => {
    const server = new FakeServer();
    const { frames, batches, source, start } = setup(server);
    const taps: DeltaRecord[] = [];
    source.tap((d) => taps.push(d));
    start();
    await until(() => server.watching === 1, 'the watch');
    await tickUntil(frames, () => source.getSnapshot().rows.length === 2, 'the listed rows');
    const owner = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true },
    ];
    server.send('ADDED', table('11', [obj('c', '11', { ownerReferences: owner })], false));
    server.send('MODIFIED', table('12', [obj('a', '12')], false));
    server.send('DELETED', table('13', [obj('b', '13')], false));
    server.send('BOOKMARK', {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '14' },
      rows: [],
    });
    await until(() => taps.length === 4, 'four events');
    // Let the informer's own flush run (a macrotask), then no frame has been drawn yet.
    await new Promise((r) => setTimeout(r, 20));
    batches.length = 0;
    frames.tick();
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    expect(batch.added).toEqual(['ns/c']);
    expect(batch.modified).toEqual(['ns/a']);
    expect([...batch.deleted.keys()]).toEqual(['ns/b']);
    expect(batch.deleted.get('ns/b')?.metadata.resourceVersion).toBe('10'); // the last known state, for the fade
    expect(names(source)).toEqual(['a', 'c']);
    expect(source.get('ns/a')?.metadata.resourceVersion).toBe('12');
    expect(source.getSnapshot().status.lastSyncRV).toBe('14');
    expect(source.childrenOf('rs-uid').map((r) => r.metadata.name)).toEqual(['c']);
    expect(taps.map((t) => `${t.type} ${t.key} ${t.resourceVersion}`)).toEqual([
      'ADDED ns/c 11',
      'MODIFIED ns/a 12',
      'DELETED ns/b 13',
      'BOOKMARK  14',
    ]);
  });

  it('SI-11: views of the same key share one informer and one watch; other selectors get their own', async () => {
    const server = new FakeServer();
    const { registry, start } = setup(server);
    const releaseA = start();
    const releaseB = registry.retain({ ...KEY });
    await until(() => server.watching === 1, 'the watch');
    expect(registry.get({ ...KEY })).toBe(registry.get(KEY));
    expect(registry.factory.runningKeys()).toHaveLength(1);
    const releaseOther = registry.retain({ ...KEY, labelSelector: 'app=y' });
    await until(() => server.watching === 2, 'the second watch');
    expect(registry.factory.runningKeys()).toHaveLength(2);
    expect(server.requests.filter((u) => u.searchParams.get('labelSelector') === 'app=x')).toHaveLength(2);
    releaseA();
    releaseB();
    releaseOther();
  });

  it('stops at 403 without retrying by itself, and retry() gets a fresh informer that lists again', async () => {
    const server = new FakeServer();
    server.listStatus = 403;
    server.listBody = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
      message: 'pods is forbidden',
    };
    const { frames, source, start, registry } = setup(server);
    start();
    await tickUntil(frames, () => source.getSnapshot().status.phase === 'forbidden', 'forbidden');
    expect(source.getSnapshot().status.lastError).toMatch('pods is forbidden');
    await until(() => registry.factory.runningKeys().length === 0, 'the informer to stop');
    const seen = server.requests.length;
    await new Promise((r) => setTimeout(r, 1200)); // longer than the first backoff step
    expect(server.requests.length).toBe(seen);
    server.listStatus = 200;
    server.listBody = table('20', [obj('z', '20')]);
    source.retry();
    await until(() => server.watching === 1, 'the watch after retry');
    await tickUntil(frames, () => source.getSnapshot().status.phase === 'synced', 'synced');
    expect(names(source)).toEqual(['z']);
    expect(registry.factory.runningKeys()).toHaveLength(1);
  });

  it('reports a body that is not a Table as an error naming the resource', async () => {
    const server = new FakeServer();
    server.listBody = { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] };
    const { frames, source, start } = setup(server);
    start();
    await tickUntil(frames, () => source.getSnapshot().status.phase === 'reconnecting', 'reconnecting');
    expect(source.getSnapshot().status.lastError).toMatch(
      /expected a meta.k8s.io\/v1 Table for pods.core\/v1 in ns, got PodList/,
    );
    expect(source.getSnapshot().status.retryAt).not.toBeNull();
  });

  it('registry.inspect() reports each open view: key, status, rows as namespace/name/RV; not released ones', async () => {
    const server = new FakeServer();
    const { frames, source, start, registry: reg } = setup(server);
    expect(reg.inspect()).toEqual([]);
    const release = start();
    await tickUntil(frames, () => source.getSnapshot().status.phase === 'synced', 'synced');
    const [view, ...rest] = reg.inspect();
    expect(rest).toEqual([]);
    expect(view).toMatchObject({
      key: source.id,
      context: 'dev',
      gvr: 'v1/pods',
      namespace: 'ns',
      labelSelector: 'app=x',
      views: 1,
      phase: 'synced',
      lastSyncRV: '10',
      count: 2,
    });
    expect([...(view?.rows ?? [])].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { namespace: 'ns', name: 'a', resourceVersion: '9' },
      { namespace: 'ns', name: 'b', resourceVersion: '10' },
    ]);
    server.send('MODIFIED', obj('a', '11'));
    await tickUntil(
      frames,
      () => reg.inspect()[0]?.rows.some((r) => r.resourceVersion === '11') === true,
      'the update',
    );
    release();
    expect(reg.inspect()).toEqual([]);
  });

  it('says why it is reconnecting: a 429 list is "rate limited (429)" in reason and lastError', async () => {
    const server = new FakeServer();
    server.listStatus = 429;
    server.listBody = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'TooManyRequests',
      code: 429,
      message: 'Too many requests, please try again later.',
    };
    const { frames, source, start } = setup(server);
    start();
    await tickUntil(frames, () => source.getSnapshot().status.phase === 'reconnecting', 'reconnecting');
    expect(source.getSnapshot().status.reason).toBe('rate limited (429)');
    expect(source.getSnapshot().status.lastError).toMatch(/^rate limited \(429\): .*Too many requests/);
  });

  it('after the last view leaves, the informer stops after the grace; a new view starts from its cache', async () => {
    const server = new FakeServer();
    const { frames, source, start, registry } = setup(server);
    const release = start();
    await until(() => server.watching === 1, 'the watch');
    await tickUntil(frames, () => source.getSnapshot().rows.length === 2, 'the rows');
    release();
    expect(source.getSnapshot().status.phase).toBe('stopped');
    await until(() => registry.factory.runningKeys().length === 0, 'the idle stop');
    let answer: () => void = () => {};
    const gate = new Promise<void>((r) => {
      answer = r;
    });
    const serve = server.fetch;
    server.fetch = async (input, init) => {
      if (!new URL(input).searchParams.has('watch')) await gate;
      return serve(input, init);
    };
    start();
    frames.tick();
    // Seeded from the stopped informer: rows at once, stale until the new list lands (BR-08).
    expect(names(source)).toEqual(['a', 'b']);
    expect(source.getSnapshot().status).toMatchObject({ phase: 'listing', fromCache: true });
    answer();
    await tickUntil(frames, () => source.getSnapshot().status.phase === 'synced', 'synced again');
    expect(source.getSnapshot().status.fromCache).toBe(false);
  });

  it('BR-08: shows the stored rows as stale before the list answers, then relists from their RV', async () => {
    const stored = (o: KubeObject) => ({
      metadata: o.metadata!,
      cells: [o.metadata?.name, 'Cached'],
      object: o,
    });
    const persistence = new MemoryPersistence({
      resourceVersion: '7',
      writtenAt: 0,
      items: [stored(obj('a', '5')), stored(obj('gone', '6'))],
    });
    const server = new FakeServer();
    let answerList: () => void = () => {};
    const listGate = new Promise<void>((r) => {
      answerList = r;
    });
    const serve = server.fetch;
    const listAsked: URL[] = [];
    server.fetch = async (input, init) => {
      if (!new URL(input).searchParams.has('watch')) {
        listAsked.push(new URL(input));
        await listGate;
      }
      return serve(input, init);
    };
    const { frames, batches, source, start } = setup(server, persistence);
    start();
    await tickUntil(frames, () => source.getSnapshot().rows.length === 2, 'the restored rows');
    expect(source.getSnapshot().status).toMatchObject({ phase: 'listing', fromCache: true });
    await until(() => listAsked.length === 1, 'the list request');
    expect(server.requests).toHaveLength(0); // the list is in flight, not answered
    expect(listAsked[0]?.searchParams.get('resourceVersion')).toBe('7'); // not older than the snapshot
    expect(persistence.writes).toHaveLength(0); // the restored copy is never written back
    answerList();
    await until(() => server.watching === 1, 'the watch');
    await tickUntil(
      frames,
      () => source.getSnapshot().status.phase === 'synced' && names(source).length === 2,
      'synced',
    );
    const snap = source.getSnapshot();
    expect(snap.status).toMatchObject({ phase: 'synced', fromCache: false, lastSyncRV: '10' });
    expect(names(source)).toEqual(['a', 'b']);
    expect(batches.flatMap((b) => [...b.deleted.keys()])).toEqual(['ns/gone']);
    await until(() => persistence.writes.length >= 1, 'the write-behind');
    expect(persistence.writes[0]).toMatchObject({ replace: true, resourceVersion: '10' });
    expect(persistence.writes[0]?.upserts.map((r) => r.metadata?.name).sort()).toEqual(['a', 'b']);
  });

  it('DI-11: a list answering 404 is reported once per failure, so discovery can be invalidated', async () => {
    const server = new FakeServer();
    server.listStatus = 404;
    server.listBody = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'NotFound',
      code: 404,
      message: 'the server could not find the requested resource',
    };
    const reported: { key: TableSourceKey; error: unknown }[] = [];
    const { frames, source, start } = setup(server, undefined, (key, error) => reported.push({ key, error }));
    start();
    await tickUntil(frames, () => source.getSnapshot().status.phase === 'reconnecting', 'reconnecting');
    expect(reported).toHaveLength(1);
    expect(reported[0]?.key).toEqual(KEY);
    expect(reported[0]?.error).toMatchObject({ code: 404 });
  });
});
