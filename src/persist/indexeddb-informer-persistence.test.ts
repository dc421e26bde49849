import {
  IDBDatabase as FakeIDBDatabase,
  IDBObjectStore as FakeIDBObjectStore,
  IDBFactory,
} from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../kube/api/types.ts';
import { FakeClock } from '../kube/clock/fake-clock.ts';
import { IndexedDbInformerPersistence } from './indexeddb-informer-persistence.ts';
import { CHUNKS, INFORMER_CACHE_DB_NAME, STORES } from './informer-cache-schema.ts';
import {
  keyFor,
  keyOf,
  pod,
  pods,
  podsKey,
  rawRecords,
  secretWithValues,
} from './persistence-test-fixtures.ts';

function setup(options: { chunkSize?: number; maxChunkSize?: number; clock?: FakeClock } = {}) {
  const factory = new IDBFactory();
  const warn = vi.fn();
  const persistence = new IndexedDbInformerPersistence({ indexedDB: factory, warn, ...options });
  return { factory, warn, persistence };
}

const sortedKeys = (objs: KubeObject[]) => objs.map(keyOf).sort();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('IndexedDbInformerPersistence', () => {
  it('BR-08: round-trips a replace: objects in key order with the resourceVersion', async () => {
    const { persistence } = setup({ chunkSize: 100 });
    const input = pods(1234, '7');
    await persistence.write(podsKey, { resourceVersion: '1000', upserts: input, deletes: [], replace: true });
    const snapshot = await persistence.load(podsKey);
    expect(snapshot?.resourceVersion).toBe('1000');
    expect(snapshot?.items.map(keyOf)).toEqual(sortedKeys(input));
    const byKey = new Map(input.map((p) => [keyOf(p), p]));
    for (const item of snapshot?.items ?? []) expect(item).toEqual(byKey.get(keyOf(item)));
    expect(await persistence.load(keyFor({ namespace: 'other' }))).toBeUndefined();
  });

  it('stores objects in chunk records, not one record per object', async () => {
    const { persistence, factory } = setup({ chunkSize: 100 });
    await persistence.write(podsKey, {
      resourceVersion: '1',
      upserts: pods(1234),
      deletes: [],
      replace: true,
    });
    expect(await rawRecords(factory, INFORMER_CACHE_DB_NAME, CHUNKS)).toHaveLength(13);
    expect(await rawRecords(factory, INFORMER_CACHE_DB_NAME, STORES)).toHaveLength(1);
  });

  it('loadFirst returns the first n objects in namespace/name order and the total count', async () => {
    const { persistence } = setup({ chunkSize: 50 });
    const input = pods(500);
    await persistence.write(podsKey, { resourceVersion: '9', upserts: input, deletes: [], replace: true });
    const first = await persistence.loadFirst(podsKey, 120);
    expect(first?.count).toBe(500);
    expect(first?.resourceVersion).toBe('9');
    expect(first?.items.map(keyOf)).toEqual(sortedKeys(input).slice(0, 120));
    expect((await persistence.loadFirst(podsKey, 0))?.items).toEqual([]);
    await expect(persistence.loadFirst(podsKey, -1)).rejects.toThrow(RangeError);
  });

  it('loadChunked yields the objects chunk by chunk in key order', async () => {
    const { persistence } = setup({ chunkSize: 40 });
    const input = pods(100);
    await persistence.write(podsKey, { resourceVersion: '3', upserts: input, deletes: [], replace: true });
    const lazy = await persistence.loadChunked(podsKey);
    expect(lazy?.count).toBe(100);
    const chunks = [...(lazy?.chunks() ?? [])];
    expect(chunks.map((c) => c.length)).toEqual([40, 40, 20]);
    expect(chunks.flat().map(keyOf)).toEqual(sortedKeys(input));
  });

  it('BR-08: applies incremental deltas (upserts and deletes) on top of the stored state', async () => {
    const { persistence } = setup({ chunkSize: 3 });
    await persistence.write(podsKey, {
      resourceVersion: '10',
      upserts: [pod('a', '1'), pod('a', '2'), pod('b', '1'), pod('c', '1')],
      deletes: [],
      replace: true,
    });
    await persistence.write(podsKey, {
      resourceVersion: '11',
      upserts: [pod('a', '2', '11'), pod('b', '0')],
      deletes: ['a/1', 'c/1'],
      replace: false,
    });
    const snapshot = await persistence.load(podsKey);
    expect(snapshot?.resourceVersion).toBe('11');
    expect(snapshot?.items.map(keyOf)).toEqual(['a/2', 'b/0', 'b/1']);
    expect(snapshot?.items[0]?.metadata?.resourceVersion).toBe('11');
  });

  it('BR-08: a replace drops every object it does not list', async () => {
    const { persistence } = setup({ chunkSize: 2 });
    await persistence.write(podsKey, { resourceVersion: '1', upserts: pods(9), deletes: [], replace: true });
    await persistence.write(podsKey, {
      resourceVersion: '2',
      upserts: [pod('z', 'only')],
      deletes: [],
      replace: true,
    });
    expect((await persistence.load(podsKey))?.items.map(keyOf)).toEqual(['z/only']);
    await persistence.write(podsKey, { resourceVersion: '3', upserts: [], deletes: [], replace: true });
    const empty = await persistence.load(podsKey);
    expect(empty).toEqual({ resourceVersion: '3', items: [], writtenAt: expect.any(Number) });
  });

  it('BR-08: an incremental delta with no stored snapshot writes nothing (no partial state)', async () => {
    const { persistence } = setup();
    await persistence.write(podsKey, {
      resourceVersion: '5',
      upserts: [pod('a', 'x')],
      deletes: [],
      replace: false,
    });
    expect(await persistence.load(podsKey)).toBeUndefined();
    await persistence.write(podsKey, {
      resourceVersion: '6',
      upserts: [pod('a', 'y')],
      deletes: [],
      replace: true,
    });
    await persistence.write(podsKey, {
      resourceVersion: '7',
      upserts: [pod('a', 'x')],
      deletes: [],
      replace: false,
    });
    expect((await persistence.load(podsKey))?.items.map(keyOf)).toEqual(['a/x', 'a/y']);
  });

  it('BR-08: a new page load applies incremental deltas only after it has loaded (or replaced) the snapshot', async () => {
    const factory = new IDBFactory();
    const before = new IndexedDbInformerPersistence({ indexedDB: factory, warn: vi.fn() });
    await before.write(podsKey, {
      resourceVersion: '1',
      upserts: [pod('ns', 'a')],
      deletes: [],
      replace: true,
    });
    await before.close();

    const after = new IndexedDbInformerPersistence({ indexedDB: factory, warn: vi.fn() });
    // Not loaded: this delta is relative to a state the stored snapshot may not be.
    await after.write(podsKey, {
      resourceVersion: '2',
      upserts: [pod('ns', 'b')],
      deletes: [],
      replace: false,
    });
    const reader = new IndexedDbInformerPersistence({ indexedDB: factory, warn: vi.fn() });
    expect((await reader.loadFirst(podsKey, 10))?.items.map(keyOf)).toEqual(['ns/a']);
    // Loaded: the informer is filled from it, so its deltas apply.
    expect((await after.load(podsKey))?.items.map(keyOf)).toEqual(['ns/a']);
    await after.write(podsKey, {
      resourceVersion: '3',
      upserts: [pod('ns', 'c')],
      deletes: [],
      replace: false,
    });
    expect(await reader.loadFirst(podsKey, 10)).toMatchObject({ resourceVersion: '3', count: 2 });
  });

  it("BR-08: with two tabs writing one cache, the last replace wins and the other tab's deltas are skipped", async () => {
    const factory = new IDBFactory();
    const tabA = new IndexedDbInformerPersistence({ indexedDB: factory, warn: vi.fn() });
    const tabB = new IndexedDbInformerPersistence({ indexedDB: factory, warn: vi.fn() });
    await tabA.write(podsKey, {
      resourceVersion: '10',
      upserts: [pod('ns', 'x')],
      deletes: [],
      replace: true,
    });
    await tabB.write(podsKey, {
      resourceVersion: '20',
      upserts: [pod('ns', 'y')],
      deletes: [],
      replace: true,
    });
    // Tab A's delta was computed against its own state, which is no longer what is stored.
    await tabA.write(podsKey, {
      resourceVersion: '11',
      upserts: [pod('ns', 'z')],
      deletes: [],
      replace: false,
    });
    await tabB.write(podsKey, {
      resourceVersion: '21',
      upserts: [pod('ns', 'w')],
      deletes: [],
      replace: false,
    });
    const reader = new IndexedDbInformerPersistence({ indexedDB: factory, warn: vi.fn() });
    const stored = await reader.loadFirst(podsKey, 10);
    expect([stored?.resourceVersion, stored?.items.map(keyOf)]).toEqual(['21', ['ns/w', 'ns/y']]);
  });

  it('coalesces deltas: writes in one task share a transaction, and one store never has two in flight', async () => {
    const { persistence } = setup({ chunkSize: 10 });
    let inFlight = 0;
    let maxInFlight = 0;
    let readwrite = 0;
    const original = FakeIDBDatabase.prototype.transaction;
    vi.spyOn(FakeIDBDatabase.prototype, 'transaction').mockImplementation(function (
      this: IDBDatabase,
      ...args: Parameters<IDBDatabase['transaction']>
    ) {
      const tx = original.apply(this, args);
      if (args[1] === 'readwrite') {
        readwrite++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        tx.addEventListener('complete', () => inFlight--);
        tx.addEventListener('abort', () => inFlight--);
      }
      return tx;
    });
    const writes = [
      persistence.write(podsKey, { resourceVersion: '1', upserts: pods(50), deletes: [], replace: true }),
    ];
    for (let i = 0; i < 20; i++) {
      writes.push(
        persistence.write(podsKey, {
          resourceVersion: `${i + 2}`,
          upserts: [pod('new', `p${i}`)],
          deletes: [],
          replace: false,
        }),
      );
    }
    await Promise.all(writes);
    expect(readwrite).toBe(1);
    // Deltas arriving while a transaction is in flight join the next one.
    const first = persistence.write(podsKey, {
      resourceVersion: '30',
      upserts: [pod('x', 'a')],
      deletes: [],
      replace: false,
    });
    await new Promise((r) => setTimeout(r, 1)); // the first flush is now under way
    const more: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      more.push(
        persistence.write(podsKey, {
          resourceVersion: `${31 + i}`,
          upserts: [pod('y', `b${i}`)],
          deletes: [],
          replace: false,
        }),
      );
      await Promise.resolve();
    }
    await Promise.all([first, ...more]);
    expect(readwrite).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBe(1);
    const snapshot = await persistence.load(podsKey);
    expect(snapshot?.resourceVersion).toBe('40');
    expect(snapshot?.items).toHaveLength(50 + 20 + 1 + 10);
  });

  it('updates only the chunks an incremental delta touches, splitting one that grows too big', async () => {
    const { persistence, factory } = setup({ chunkSize: 10, maxChunkSize: 20 });
    const input = Array.from({ length: 100 }, (_, i) => pod('ns', `p${String(i).padStart(3, '0')}`));
    await persistence.write(podsKey, { resourceVersion: '1', upserts: input, deletes: [], replace: true });
    const original = FakeIDBObjectStore.prototype.put;
    const chunkPuts: unknown[] = [];
    vi.spyOn(FakeIDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === CHUNKS) chunkPuts.push(args[0]);
      return original.apply(this, args);
    });
    await persistence.write(podsKey, {
      resourceVersion: '2',
      upserts: [pod('ns', 'p042', '2')],
      deletes: [],
      replace: false,
    });
    expect(chunkPuts).toHaveLength(1);
    // 15 new keys between p050 and p051 overflow that chunk (10 + 15 > 20): it splits.
    chunkPuts.length = 0;
    const inserted = Array.from({ length: 15 }, (_, i) => pod('ns', `p050-${String(i).padStart(2, '0')}`));
    await persistence.write(podsKey, {
      resourceVersion: '3',
      upserts: inserted,
      deletes: ['ns/p099'],
      replace: false,
    });
    expect(chunkPuts).toHaveLength(3 + 1); // the split chunk's 3 pieces and the last chunk
    const snapshot = await persistence.load(podsKey);
    expect(snapshot?.items.map(keyOf)).toEqual(sortedKeys([...input.slice(0, 99), ...inserted]));
    const stores = (await rawRecords(factory, INFORMER_CACHE_DB_NAME, STORES)) as Array<{ count: number }>;
    expect(stores[0]?.count).toBe(114);
  });

  it('recuts a store that deletes have fragmented into many small chunks', async () => {
    const { persistence, factory } = setup({ chunkSize: 10 });
    const input = Array.from({ length: 200 }, (_, i) => pod('ns', `p${String(i).padStart(3, '0')}`));
    await persistence.write(podsKey, { resourceVersion: '1', upserts: input, deletes: [], replace: true });
    expect(await rawRecords(factory, INFORMER_CACHE_DB_NAME, CHUNKS)).toHaveLength(20);
    // Keep one object per chunk: 20 chunks of 1 where 2 would do.
    const kept = input.filter((_, i) => i % 10 === 0);
    const deletes = input.filter((_, i) => i % 10 !== 0).map(keyOf);
    await persistence.write(podsKey, { resourceVersion: '2', upserts: [], deletes, replace: false });
    expect(await rawRecords(factory, INFORMER_CACHE_DB_NAME, CHUNKS)).toHaveLength(2);
    expect((await persistence.load(podsKey))?.items.map(keyOf)).toEqual(kept.map(keyOf));
    await persistence.write(podsKey, {
      resourceVersion: '3',
      upserts: [pod('ns', 'p000x')],
      deletes: [],
      replace: false,
    });
    expect((await persistence.loadFirst(podsKey, 3))?.items.map(keyOf)).toEqual([
      'ns/p000',
      'ns/p000x',
      'ns/p010',
    ]);
  });

  it('never writes Secret data, stringData or the last-applied annotation', async () => {
    const { persistence, factory } = setup();
    const key = keyFor({ resource: 'secrets' });
    const secret = secretWithValues();
    await persistence.write(key, { resourceVersion: '1', upserts: [secret], deletes: [], replace: true });
    await persistence.write(key, {
      resourceVersion: '2',
      upserts: [{ ...secret, metadata: { ...secret.metadata, name: 'token-2' } }],
      deletes: [],
      replace: false,
    });
    const everything = JSON.stringify(await rawRecords(factory, INFORMER_CACHE_DB_NAME, CHUNKS));
    expect(everything).not.toContain('czNjcjN0');
    expect(everything).not.toContain('hunter2');
    const loaded = await persistence.load(key);
    expect(loaded?.items.map((s) => [s.metadata?.name, s.type, s.data])).toEqual([
      ['token', 'Opaque', undefined],
      ['token-2', 'Opaque', undefined],
    ]);
    expect(secret.data).toEqual({ t: 'czNjcjN0' }); // the informer's object is untouched
  });

  it('BR-08: keeps caches of different contexts, users, namespaces and selectors apart', async () => {
    const { persistence } = setup();
    const keys = [
      podsKey,
      keyFor({ context: 'b' }),
      keyFor({ user: 'viewer' }),
      keyFor({ labelSelector: 'app=web' }),
    ];
    await Promise.all(
      keys.map((key, i) =>
        persistence.write(key, {
          resourceVersion: `${i}`,
          upserts: [pod('ns', `p${i}`)],
          deletes: [],
          replace: true,
        }),
      ),
    );
    for (const [i, key] of keys.entries()) {
      const s = await persistence.load(key);
      expect([s?.resourceVersion, s?.items.map(keyOf)]).toEqual([`${i}`, [`ns/p${i}`]]);
    }
  });

  it('clearContext removes every cache of that context and discards its queued deltas', async () => {
    const { persistence } = setup();
    const a1 = keyFor({ context: 'a' });
    const a2 = keyFor({ context: 'a', resource: 'services' });
    const b = keyFor({ context: 'b' });
    for (const key of [a1, a2, b]) {
      await persistence.write(key, {
        resourceVersion: '1',
        upserts: [pod('ns', 'x')],
        deletes: [],
        replace: true,
      });
    }
    const queued = persistence.write(a1, {
      resourceVersion: '2',
      upserts: [pod('ns', 'y')],
      deletes: [],
      replace: true,
    });
    await persistence.clearContext('a');
    await queued;
    await persistence.flush();
    expect(await persistence.load(a1)).toBeUndefined();
    expect(await persistence.load(a2)).toBeUndefined();
    expect((await persistence.load(b))?.items.map(keyOf)).toEqual(['ns/x']);
    await expect(persistence.clearContext(5 as unknown as string)).rejects.toThrow(TypeError);
  });

  it('drop forgets one cache', async () => {
    const { persistence } = setup();
    await persistence.write(podsKey, {
      resourceVersion: '1',
      upserts: [pod('ns', 'x')],
      deletes: [],
      replace: true,
    });
    await persistence.drop(podsKey);
    expect(await persistence.load(podsKey)).toBeUndefined();
  });

  it('rejects a malformed key or delta with a TypeError, and skips unnamed objects with a warning', async () => {
    const { persistence, warn } = setup();
    await expect(
      persistence.write({ ...podsKey, server: undefined } as unknown as typeof podsKey, {
        resourceVersion: '1',
        upserts: [],
        deletes: [],
        replace: true,
      }),
    ).rejects.toThrow(/server/);
    await expect(
      persistence.write(podsKey, { resourceVersion: 1, upserts: [], deletes: [], replace: true } as never),
    ).rejects.toThrow(TypeError);
    await persistence.write(podsKey, {
      resourceVersion: '1',
      upserts: [{ kind: 'Pod' }, pod('a', 'b')],
      deletes: [],
      replace: true,
    });
    expect((await persistence.load(podsKey))?.items.map(keyOf)).toEqual(['a/b']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('without metadata.name'), undefined);
  });

  it('records writtenAt from the injected clock', async () => {
    const clock = new FakeClock(1_700_000_000_000);
    const { persistence } = setup({ clock });
    await persistence.write(podsKey, { resourceVersion: '1', upserts: [], deletes: [], replace: true });
    expect((await persistence.load(podsKey))?.writtenAt).toBe(1_700_000_000_000);
  });
});
