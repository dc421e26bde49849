import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/api/types.ts';
import type { CacheDelta, CacheKey, CacheSnapshot, InformerPersistence } from '../kube/cache/persistence.ts';
import { RESTClient } from '../kube/rest/rest-client.ts';
import type { FrameScheduler } from './frame-batcher.ts';
import type { ChangeBatch } from './live-source.ts';
import type { Table } from './server-table.ts';
import { TableInformer } from './table-informer.ts';
import { type DeltaRecord, TableListerWatcher } from './table-lister-watcher.ts';

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
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

let informer: TableInformer | undefined;
afterEach(() => informer?.stop());

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

function setup(server: FakeServer, persistence?: InformerPersistence) {
  const frames = manualFrames();
  const client = new RESTClient({
    baseUrl: 'http://127.0.0.1:1/clusters/dev',
    fetch: server.fetch,
    qps: -1,
    maxRetries: 0,
  });
  const lw = new TableListerWatcher({
    client,
    gvr: { group: '', version: 'v1', resource: 'pods' },
    namespace: 'ns',
    labelSelector: 'app=x',
  });
  informer = new TableInformer({
    id: 'pods',
    listerWatcher: lw,
    scheduleFrame: frames.schedule,
    warn: () => {},
    ...(persistence ? { cache: { persistence, key: CACHE_KEY } } : {}),
  });
  const batches: ChangeBatch[] = [];
  informer.subscribe((b) => batches.push(b));
  return { frames, batches, informer };
}

describe('TableInformer', () => {
  it('lists Table rows with includeObject and the selectors, then watches from the list RV (R-11)', async () => {
    const server = new FakeServer();
    const { frames, batches, informer } = setup(server);
    informer.start();
    await until(() => server.watching === 1, 'the watch');
    const [list, watch] = server.requests;
    expect(list?.searchParams.get('includeObject')).toBe('Object');
    expect(list?.searchParams.get('labelSelector')).toBe('app=x');
    expect(watch?.searchParams.get('resourceVersion')).toBe('10');
    expect(watch?.searchParams.get('allowWatchBookmarks')).toBe('true');
    frames.tick();
    const snap = informer.getSnapshot();
    expect(snap.rows.map((r) => r.metadata.name).sort()).toEqual(['a', 'b']);
    expect(snap.columns.map((c) => c.name)).toEqual(['Name', 'Status']);
    expect(snap.status).toMatchObject({ phase: 'synced', lastSyncRV: '10' });
    expect(batches.at(-1)).toMatchObject({ replaced: true, added: expect.arrayContaining(['ns/a', 'ns/b']) });
  });

  it('applies watch events in one batch per frame, keeps deleted rows in the batch and indexes owners', async () => {
    const server = new FakeServer();
    const { frames, batches, informer } = setup(server);
    const taps: DeltaRecord[] = [];
    informer.tap((d) => taps.push(d));
    informer.start();
    await until(() => server.watching === 1, 'the watch');
    frames.tick();
    batches.length = 0;
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
    expect(batches).toHaveLength(0); // nothing before the frame
    frames.tick();
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    expect(batch.added).toEqual(['ns/c']);
    expect(batch.modified).toEqual(['ns/a']);
    expect([...batch.deleted.keys()]).toEqual(['ns/b']);
    expect(
      informer
        .getSnapshot()
        .rows.map((r) => r.metadata.name)
        .sort(),
    ).toEqual(['a', 'c']);
    expect(informer.getSnapshot().status.lastSyncRV).toBe('14');
    expect(informer.childrenOf('rs-uid').map((r) => r.metadata.name)).toEqual(['c']);
    expect(taps.map((t) => `${t.type} ${t.key} ${t.resourceVersion}`)).toEqual([
      'ADDED ns/c 11',
      'MODIFIED ns/a 12',
      'DELETED ns/b 13',
      'BOOKMARK  14',
    ]);
  });

  it('stops at 403 without retrying by itself, and retry() lists again', async () => {
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
    const { frames, informer } = setup(server);
    informer.start();
    await until(() => {
      frames.tick();
      return informer.getSnapshot().status.phase === 'forbidden';
    }, 'forbidden');
    expect(informer.getSnapshot().status.lastError).toMatch('pods is forbidden');
    const seen = server.requests.length;
    await new Promise((r) => setTimeout(r, 1200)); // longer than the first backoff step
    expect(server.requests.length).toBe(seen);
    server.listStatus = 200;
    server.listBody = table('20', [obj('z', '20')]);
    informer.retry();
    await until(() => server.watching === 1, 'the watch after retry');
    frames.tick();
    expect(informer.getSnapshot().status.phase).toBe('synced');
    expect(informer.getSnapshot().rows.map((r) => r.metadata.name)).toEqual(['z']);
  });

  it('reports a body that is not a Table as an error naming the resource', async () => {
    const server = new FakeServer();
    server.listBody = { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] };
    const { frames, informer } = setup(server);
    informer.start();
    await until(() => {
      frames.tick();
      return informer.getSnapshot().status.phase === 'reconnecting';
    }, 'reconnecting');
    expect(informer.getSnapshot().status.lastError).toMatch(
      /expected a meta.k8s.io\/v1 Table for pods.core\/v1 in ns, got PodList/,
    );
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
    const { frames, batches, informer } = setup(server, persistence);
    informer.start();
    await until(() => {
      frames.tick();
      return informer.getSnapshot().rows.length === 2;
    }, 'the restored rows');
    expect(informer.getSnapshot().status).toMatchObject({
      phase: 'listing',
      fromCache: true,
      lastSyncRV: '7',
    });
    await until(() => listAsked.length === 1, 'the list request');
    expect(server.requests).toHaveLength(0); // the list is in flight, not answered
    expect(listAsked[0]?.searchParams.get('resourceVersion')).toBe('7'); // not older than the snapshot
    expect(persistence.writes).toHaveLength(0); // the restored copy is never written back
    answerList();
    await until(() => server.watching === 1, 'the watch');
    frames.tick();
    const snap = informer.getSnapshot();
    expect(snap.status).toMatchObject({ phase: 'synced', fromCache: false, lastSyncRV: '10' });
    expect(snap.rows.map((r) => r.metadata.name).sort()).toEqual(['a', 'b']);
    expect([...(batches.at(-1)?.deleted.keys() ?? [])]).toEqual(['ns/gone']);
    await until(() => persistence.writes.length === 1, 'the write-behind');
    expect(persistence.writes[0]).toMatchObject({ replace: true, resourceVersion: '10' });
    expect(persistence.writes[0]?.upserts.map((r) => r.metadata?.name).sort()).toEqual(['a', 'b']);
    server.send('MODIFIED', table('11', [obj('b', '11')], false));
    await until(() => {
      frames.tick();
      return persistence.writes.length === 2;
    }, 'an incremental write');
    expect(persistence.writes[1]).toMatchObject({ replace: false, resourceVersion: '11', deletes: [] });
    expect(persistence.writes[1]?.upserts.map((r) => r.metadata?.name)).toEqual(['b']);
  });
});
