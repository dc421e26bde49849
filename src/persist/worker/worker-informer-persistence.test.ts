import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../kube/api/types.ts';
import { FakeClock } from '../../kube/clock/fake-clock.ts';
import { IndexedDbInformerPersistence } from '../indexeddb-informer-persistence.ts';
import { INFORMER_CACHE_DB_NAME, STORES } from '../informer-cache-schema.ts';
import { PersistenceNotices, UNAVAILABLE_MESSAGE } from '../persistence-notices.ts';
import { damageChunk, keyFor, keyOf, pod, pods, podsKey, rawRecords } from '../persistence-test-fixtures.ts';
import { FakePersistenceWorker } from './fake-persistence-worker.ts';
import { forwardWarnings, servePersistence } from './persistence-host.ts';
import type { PageMessage } from './persistence-protocol.ts';
import {
  WorkerInformerPersistence,
  type WorkerInformerPersistenceOptions,
} from './worker-informer-persistence.ts';

const workers: FakePersistenceWorker[] = [];

afterEach(() => {
  for (const worker of workers.splice(0)) {
    worker.terminate();
    worker.endpoint.close();
  }
});

interface SetupOptions extends Partial<WorkerInformerPersistenceOptions> {
  /** false: the worker never runs a host (it stays silent unless the test speaks for it). */
  host?: boolean;
  /** The IndexedDB the worker's persistence sees; default: the one the fallback uses. */
  workerIndexedDB?: IDBFactory | undefined;
  chunkSize?: number;
  /** Reads in the page (directReads) with this IndexedDB; 'same': the worker's. */
  pageIndexedDB?: 'same' | undefined;
}

function setup(options: SetupOptions = {}) {
  const factory = new IDBFactory();
  const warn = vi.fn();
  const notices = new PersistenceNotices();
  const fallback = vi.fn(
    () => new IndexedDbInformerPersistence({ indexedDB: factory, warn, chunkSize: options.chunkSize ?? 100 }),
  );
  const workerIndexedDB = 'workerIndexedDB' in options ? options.workerIndexedDB : factory;
  const createWorker = vi.fn(() => {
    const worker = new FakePersistenceWorker();
    workers.push(worker);
    if (options.host !== false) {
      // What informer-persistence-worker.ts does with its global scope.
      const hostNotices = new PersistenceNotices();
      const hosted = new IndexedDbInformerPersistence({
        indexedDB: workerIndexedDB,
        notices: hostNotices,
        warn: forwardWarnings(worker.endpoint),
        chunkSize: options.chunkSize ?? 100,
      });
      servePersistence(worker.endpoint, hosted, { notices: hostNotices });
    }
    return worker;
  });
  const persistence = new WorkerInformerPersistence({
    createWorker,
    fallback,
    notices,
    warn,
    yieldToPage: () => Promise.resolve(),
    ...('pageIndexedDB' in options
      ? { directReads: { indexedDB: options.pageIndexedDB === 'same' ? factory : undefined } }
      : {}),
    ...options,
  });
  return { factory, warn, notices, fallback, createWorker, persistence };
}

function workerAt(n: number): FakePersistenceWorker {
  const worker = workers[n];
  if (!worker) throw new Error(`no worker #${n}`);
  return worker;
}

const sortedKeys = (objs: KubeObject[]) => objs.map(keyOf).sort();

describe('WorkerInformerPersistence', () => {
  it('BR-08: round-trips a replace through the worker: objects in key order with the resourceVersion', async () => {
    const { persistence, fallback, warn } = setup({ chunkSize: 50 });
    const input = pods(345, '7');
    await persistence.write(podsKey, { resourceVersion: '1000', upserts: input, deletes: [], replace: true });
    const snapshot = await persistence.load(podsKey);
    expect(snapshot?.resourceVersion).toBe('1000');
    expect(snapshot?.items.map(keyOf)).toEqual(sortedKeys(input));
    const byKey = new Map(input.map((p) => [keyOf(p), p]));
    for (const item of snapshot?.items ?? []) expect(item).toEqual(byKey.get(keyOf(item)));
    expect(await persistence.load(keyFor({ namespace: 'other' }))).toBeUndefined();
    expect(fallback).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('loadFirst and loadChunked read through the worker like the in-page persistence', async () => {
    const { persistence } = setup({ chunkSize: 50 });
    const input = pods(500);
    await persistence.write(podsKey, { resourceVersion: '9', upserts: input, deletes: [], replace: true });
    const first = await persistence.loadFirst(podsKey, 120);
    expect(first?.count).toBe(500);
    expect(first?.items.map(keyOf)).toEqual(sortedKeys(input).slice(0, 120));
    expect((await persistence.loadFirst(podsKey, 0))?.items).toEqual([]);
    await expect(persistence.loadFirst(podsKey, -1)).rejects.toThrow(RangeError);
    // Only the chunks holding the first 120 objects crossed, cut to 120.
    const chunked = await persistence.loadChunked(podsKey);
    expect(chunked?.count).toBe(500);
    const chunks = [...(chunked?.chunks() ?? [])];
    expect(chunks).toHaveLength(10);
    expect(chunks.flat().map(keyOf)).toEqual(sortedKeys(input));
  });

  it('posts the delta as staged JSON texts with their keys, with Secret values stripped before it leaves the page (BR-08)', async () => {
    const { persistence } = setup();
    const secretsKey = keyFor({ resource: 'secrets' });
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        namespace: 'a',
        name: 's',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"k":"c2VjcmV0"}}' },
      },
      data: { k: 'c2VjcmV0' },
      stringData: { k: 'secret' },
    };
    await persistence.write(secretsKey, {
      resourceVersion: '3',
      upserts: [secret],
      deletes: [],
      replace: true,
    });
    const posted = workerAt(0).posted;
    expect(posted.map((m) => m.op)).toEqual(['stage', 'write']);
    const staged = posted[0] as Extract<PageMessage, { op: 'stage' }>;
    expect(staged.keys).toEqual(['a/s']);
    expect(staged.items).toHaveLength(1);
    const text = staged.items.join('');
    expect(text).toContain('"name":"s"');
    expect(text).not.toContain('c2VjcmV0');
    expect(text).not.toContain('secret"');
    expect(secret.data).toEqual({ k: 'c2VjcmV0' }); // the informer's object is untouched
    expect((await persistence.load(secretsKey))?.items[0]).not.toHaveProperty('data');
  });

  it('keeps call order: a write stringified in slices reaches the worker before a later delta', async () => {
    const { persistence } = setup({ sliceSize: 7, chunkSize: 20 });
    const first = pods(100, '1');
    const gone = keyOf(first[0] as KubeObject);
    // Not awaited: the big write is still being stringified when the delta is written. Were the
    // delta posted first, it would be skipped (no base yet) or overwritten by the replace.
    const writes = [
      persistence.write(podsKey, { resourceVersion: '10', upserts: first, deletes: [], replace: true }),
      persistence.write(podsKey, {
        resourceVersion: '11',
        upserts: [pod('z', 'new')],
        deletes: [gone],
        replace: false,
      }),
    ];
    const loaded = persistence.load(podsKey);
    await Promise.all(writes);
    const snapshot = await loaded;
    expect(snapshot?.resourceVersion).toBe('11');
    const keys = snapshot?.items.map(keyOf) ?? [];
    expect(keys).toHaveLength(100);
    expect(keys).toContain('z/new');
    expect(keys).not.toContain(gone);
    // The big write's 100 objects went as 15 stage messages of ≤ 7, right before their write.
    const ops = workerAt(0).posted.map((m) => m.op);
    expect(ops).toEqual([...Array<string>(15).fill('stage'), 'write', 'stage', 'write', 'load']);
  });

  it('a load sees the writes made before it (read your own writes across the worker)', async () => {
    const { persistence } = setup();
    void persistence.write(podsKey, { resourceVersion: '1', upserts: pods(10), deletes: [], replace: true });
    void persistence.write(podsKey, {
      resourceVersion: '2',
      upserts: [],
      deletes: [keyOf(pods(10)[0] as KubeObject)],
      replace: false,
    });
    const snapshot = await persistence.load(podsKey);
    expect(snapshot?.resourceVersion).toBe('2');
    expect(snapshot?.items).toHaveLength(9);
  });

  it('flush waits for every earlier call; clearContext forgets only that context', async () => {
    const { persistence, factory } = setup();
    void persistence.write(podsKey, { resourceVersion: '1', upserts: pods(5), deletes: [], replace: true });
    const other = keyFor({ context: 'kind-b' });
    void persistence.write(other, { resourceVersion: '1', upserts: pods(3), deletes: [], replace: true });
    await persistence.flush();
    expect(await rawRecords(factory, INFORMER_CACHE_DB_NAME, STORES)).toHaveLength(2);
    await persistence.clearContext('kind-a');
    expect(await persistence.load(podsKey)).toBeUndefined();
    expect((await persistence.load(other))?.items).toHaveLength(3);
    await expect(persistence.clearContext(42 as unknown as string)).rejects.toThrow(TypeError);
  });

  it('rejects a malformed key or delta on the page, posting nothing', async () => {
    const { persistence } = setup();
    const bad = { ...podsKey, server: undefined } as unknown as typeof podsKey;
    await expect(persistence.load(bad)).rejects.toThrow(/server/);
    await expect(
      persistence.write(podsKey, { resourceVersion: 5, upserts: [], deletes: [], replace: true } as never),
    ).rejects.toThrow(TypeError);
    await persistence.flush();
    expect(workerAt(0).posted.map((r) => r.op)).toEqual(['flush']);
  });

  it('discards a cache whose stored text is damaged, with one warning', async () => {
    const { persistence, factory, warn } = setup({ chunkSize: 2 });
    await persistence.write(podsKey, {
      resourceVersion: '1',
      upserts: [pod('a', '1'), pod('a', '2'), pod('a', '3')],
      deletes: [],
      replace: true,
    });
    await damageChunk(factory, 1);

    expect((await persistence.loadFirst(podsKey, 2))?.items.map(keyOf)).toEqual(['a/1', 'a/2']);
    expect(await persistence.load(podsKey)).toBeUndefined();
    expect(await persistence.load(podsKey)).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/damaged/);
    await persistence.flush();
    expect(await rawRecords(factory, INFORMER_CACHE_DB_NAME, STORES)).toEqual([]);
  });

  it('forwards the worker’s warning and notice when it has no IndexedDB; calls are no-ops', async () => {
    const { persistence, warn, notices, fallback } = setup({ workerIndexedDB: undefined });
    await persistence.write(podsKey, { resourceVersion: '1', upserts: pods(3), deletes: [], replace: true });
    expect(await persistence.load(podsKey)).toBeUndefined();
    await persistence.flush();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(notices.getSnapshot()).toEqual([{ kind: 'unavailable', message: UNAVAILABLE_MESSAGE }]);
    expect(fallback).not.toHaveBeenCalled();
  });

  it('falls back to the in-page persistence, with one warning, when there is no Worker', async () => {
    const { persistence, warn, fallback } = setup({ createWorker: undefined });
    await persistence.write(podsKey, { resourceVersion: '4', upserts: pods(3), deletes: [], replace: true });
    expect((await persistence.load(podsKey))?.items).toHaveLength(3);
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/no Worker.*main thread/);
  });

  it('falls back when creating the worker throws (a CSP refusal, say)', async () => {
    const { persistence, warn, fallback } = setup({
      createWorker: () => {
        throw new Error('Refused to create a worker');
      },
    });
    await persistence.write(podsKey, { resourceVersion: '4', upserts: pods(2), deletes: [], replace: true });
    expect((await persistence.load(podsKey))?.items).toHaveLength(2);
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('falls back, replaying the calls made meanwhile in order, when the worker fails before it starts', async () => {
    const { persistence, warn, fallback } = setup({ host: false });
    const written = persistence.write(podsKey, {
      resourceVersion: '1',
      upserts: pods(4),
      deletes: [],
      replace: true,
    });
    const loaded = persistence.load(podsKey);
    // Nothing was posted: calls wait for 'ready'.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(workerAt(0).posted).toEqual([]);
    workerAt(0).crash('SyntaxError in the worker script');
    await written;
    expect((await loaded)?.items).toHaveLength(4);
    expect(workerAt(0).terminated).toBe(true);
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/before it started/);
  });

  it('turns no-op, warning, when neither the worker nor the fallback can start', async () => {
    const { persistence, warn } = setup({
      createWorker: undefined,
      fallback: () => {
        throw new Error('no IndexedDB either');
      },
    });
    await persistence.write(podsKey, { resourceVersion: '1', upserts: pods(2), deletes: [], replace: true });
    expect(await persistence.load(podsKey)).toBeUndefined();
    await persistence.flush();
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      expect.stringMatching(/no Worker/),
      expect.stringMatching(/not saved in this session/),
    ]);
  });

  it('falls back when the worker does not post ready within the start timeout', async () => {
    const clock = new FakeClock();
    const { persistence, warn, fallback } = setup({ host: false, clock, startTimeoutMs: 5_000 });
    const loaded = persistence.load(podsKey);
    await clock.advance(4_999);
    expect(fallback).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(await loaded).toBeUndefined();
    expect(fallback).toHaveBeenCalledTimes(1);
    expect(workerAt(0).terminated).toBe(true);
    expect(warn.mock.calls[0]?.[0]).toMatch(/did not start within 5 s/);
    // A 'ready' from the terminated worker changes nothing.
    workerAt(0).endpoint.postMessage({ type: 'ready' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(workerAt(0).posted).toEqual([]);
  });

  it('a worker crash after start settles pending calls as unserved and stops persistence, warning once', async () => {
    const { persistence, warn, fallback } = setup({ host: false });
    workerAt(0).endpoint.postMessage({ type: 'ready' });
    const loaded = persistence.load(podsKey);
    const written = persistence.write(podsKey, {
      resourceVersion: '1',
      upserts: pods(2),
      deletes: [],
      replace: true,
    });
    // load, then the write's stage message and request
    await vi.waitFor(() => expect(workerAt(0).posted).toHaveLength(3), { timeout: 2_000 });
    workerAt(0).crash('out of memory');
    expect(await loaded).toBeUndefined();
    await expect(written).resolves.toBeUndefined();
    expect(workerAt(0).terminated).toBe(true);
    // Later calls are no-ops, without more warnings.
    expect(await persistence.load(podsKey)).toBeUndefined();
    await persistence.write(podsKey, { resourceVersion: '2', upserts: pods(1), deletes: [], replace: true });
    await persistence.flush();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/not saved for the rest of this session/);
    expect(fallback).not.toHaveBeenCalled();
  });

  it('a request without a reply times out as unserved, with one warning; a late reply is ignored', async () => {
    const clock = new FakeClock();
    const { persistence, warn } = setup({
      host: false,
      clock,
      requestTimeoutMs: { read: 1_000, write: 3_000 },
    });
    workerAt(0).endpoint.postMessage({ type: 'ready' });
    const loaded = persistence.load(podsKey);
    const written = persistence.write(podsKey, {
      resourceVersion: '1',
      upserts: pods(2),
      deletes: [],
      replace: true,
    });
    // load, then the write's stage message and request
    await vi.waitFor(() => expect(workerAt(0).posted).toHaveLength(3), { timeout: 2_000 });
    const settled = vi.fn();
    void written.then(settled);
    await clock.advance(1_000);
    expect(await loaded).toBeUndefined();
    expect(settled).not.toHaveBeenCalled();
    await clock.advance(2_000);
    expect(settled).toHaveBeenCalled();
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      expect.stringMatching(/did not answer a load within 1 s/),
      expect.stringMatching(/did not answer a write within 3 s/),
    ]);
    const load = workerAt(0).posted[0];
    const loadId = load && 'id' in load ? load.id : -1;
    workerAt(0).endpoint.postMessage({ type: 'reply', id: loadId, ok: true, value: null });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('rejects with the worker’s error when a request fails there', async () => {
    const { persistence } = setup({ host: false });
    const worker = workerAt(0);
    servePersistence(worker.endpoint, {
      loadJson: () => Promise.resolve(undefined),
      settle: () => Promise.resolve(),
      adoptLoaded: () => {},
      writeJson: () => Promise.resolve(),
      drop: () => Promise.reject(new RangeError('drop went wrong')),
      clearContext: () => Promise.resolve(),
      flush: () => Promise.resolve(),
      close: () => Promise.resolve(),
    });
    const error = await persistence.drop(podsKey).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe('drop went wrong');
  });

  it('close finishes the writes, ends the worker, and turns later calls into no-ops', async () => {
    const { persistence, factory, warn } = setup();
    void persistence.write(podsKey, { resourceVersion: '1', upserts: pods(5), deletes: [], replace: true });
    await persistence.close();
    expect(workerAt(0).terminated).toBe(true);
    expect(await rawRecords(factory, INFORMER_CACHE_DB_NAME, STORES)).toHaveLength(1);
    expect(await persistence.load(podsKey)).toBeUndefined();
    await persistence.close();
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('WorkerInformerPersistence with reads in the page (directReads)', () => {
  const ops = (worker: FakePersistenceWorker) => worker.posted.map((m) => m.op);

  it('reads with its own connection, after the writes posted before the read; the worker never posts the cache', async () => {
    const { persistence, warn, fallback } = setup({ chunkSize: 50, pageIndexedDB: 'same' });
    const input = pods(345, '7');
    // Not awaited: the read must still see it (read your own writes, as through the worker).
    void persistence.write(podsKey, { resourceVersion: '1000', upserts: input, deletes: [], replace: true });
    const snapshot = await persistence.load(podsKey);
    expect(snapshot?.resourceVersion).toBe('1000');
    expect(snapshot?.items.map(keyOf)).toEqual(sortedKeys(input));
    const first = await persistence.loadFirst(podsKey, 120);
    expect(first?.count).toBe(345);
    expect(first?.items.map(keyOf)).toEqual(sortedKeys(input).slice(0, 120));
    const chunked = await persistence.loadChunked(podsKey);
    expect([...(chunked?.chunks() ?? [])].flat().map(keyOf)).toEqual(sortedKeys(input));
    expect(await persistence.load(keyFor({ namespace: 'other' }))).toBeUndefined();
    await persistence.flush();
    const posted = ops(workerAt(0));
    expect(posted).not.toContain('load');
    expect(posted.filter((op) => op === 'settle')).toHaveLength(4);
    // One 'loaded' per cache found: whole reads name the revision they adopt, a first screen none.
    const loaded = workerAt(0).posted.filter((m) => m.op === 'loaded');
    expect(loaded.map((m) => (m.op === 'loaded' ? m.revision !== null : undefined))).toEqual([
      true,
      false,
      true,
    ]);
    expect(fallback).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('a whole cache read in the page becomes the base of the next incremental delta; a first screen does not', async () => {
    const first = setup({ chunkSize: 50, pageIndexedDB: 'same' });
    await first.persistence.write(podsKey, {
      resourceVersion: '10',
      upserts: pods(120, '10'),
      deletes: [],
      replace: true,
    });
    await first.persistence.close();
    const sameDatabase = (factory: IDBFactory) =>
      new WorkerInformerPersistence({
        createWorker: () => {
          const worker = new FakePersistenceWorker();
          workers.push(worker);
          const hosted = new IndexedDbInformerPersistence({
            indexedDB: factory,
            warn: vi.fn(),
            chunkSize: 50,
          });
          servePersistence(worker.endpoint, hosted);
          return worker;
        },
        fallback: () => {
          throw new Error('no fallback in this test');
        },
        directReads: { indexedDB: factory },
        yieldToPage: () => Promise.resolve(),
      });
    const delta = {
      resourceVersion: '11',
      upserts: [pod('a', 'new', '11')],
      deletes: ['ns-0/pod-00000'],
      replace: false,
    };

    // A new page that only showed a first screen has no base: its delta is not applied.
    const screenOnly = sameDatabase(first.factory);
    expect((await screenOnly.loadFirst(podsKey, 5))?.items).toHaveLength(5);
    await screenOnly.write(podsKey, delta);
    await screenOnly.close();
    const check = sameDatabase(first.factory);
    expect((await check.load(podsKey))?.resourceVersion).toBe('10');
    await check.close();

    // A page that read the whole cache adopted it: its delta lands on top.
    const warm = sameDatabase(first.factory);
    expect((await warm.load(podsKey))?.items).toHaveLength(120);
    await warm.write(podsKey, delta);
    await warm.close();
    const after = sameDatabase(first.factory);
    const snapshot = await after.load(podsKey);
    expect(snapshot?.resourceVersion).toBe('11');
    const keys = snapshot?.items.map(keyOf) ?? [];
    expect(keys).toContain('a/new');
    expect(keys).not.toContain('ns-0/pod-00000');
    expect(keys).toHaveLength(120);
    await after.close();
  });

  it('a damaged cache read in the page is dropped with one warning and reads as nothing stored', async () => {
    const { persistence, factory, warn } = setup({ chunkSize: 2, pageIndexedDB: 'same' });
    await persistence.write(podsKey, {
      resourceVersion: '5',
      upserts: [pod('a', '1'), pod('a', '2'), pod('a', '3'), pod('a', '4')],
      deletes: [],
      replace: true,
    });
    await damageChunk(factory, 1);
    expect((await persistence.loadFirst(podsKey, 2))?.items.map(keyOf)).toEqual(['a/1', 'a/2']);
    expect(await persistence.load(podsKey)).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/damaged/);
    await persistence.flush();
    expect(await rawRecords(factory, INFORMER_CACHE_DB_NAME, STORES)).toEqual([]);
    expect(await persistence.load(podsKey)).toBeUndefined();
  });

  it('when the page cannot open the database, reads go through the worker after one warning', async () => {
    const { persistence, warn } = setup({ chunkSize: 50, pageIndexedDB: undefined });
    await persistence.write(podsKey, { resourceVersion: '3', upserts: pods(60), deletes: [], replace: true });
    expect((await persistence.load(podsKey))?.items).toHaveLength(60);
    expect((await persistence.loadFirst(podsKey, 10))?.items).toHaveLength(10);
    expect(ops(workerAt(0)).filter((op) => op === 'load')).toHaveLength(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/indexedDB/i);
  });
});
