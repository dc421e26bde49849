// How IndexedDbInformerPersistence behaves when storage misbehaves: quota, old schemas, no
// IndexedDB at all, damaged records, a connection closed under it.
import { IDBObjectStore as FakeIDBObjectStore, forceCloseDatabase, IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../kube/clock/fake-clock.ts';
import { requestResult } from './idb-request.ts';
import { IndexedDbInformerPersistence } from './indexeddb-informer-persistence.ts';
import {
  CHUNKS,
  INFORMER_CACHE_DB_NAME,
  INFORMER_CACHE_SCHEMA_VERSION,
  STORES,
} from './informer-cache-schema.ts';
import { MEMORY_ONLY_MESSAGE, PersistenceNotices, UNAVAILABLE_MESSAGE } from './persistence-notices.ts';
import { damageChunk, keyFor, keyOf, pod, podsKey, rawRecords } from './persistence-test-fixtures.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

/** Make the next `failures` puts into the chunks store throw QuotaExceededError, as a full disk does. */
function failChunkPuts(failures: number): { remaining: () => number } {
  let left = failures;
  const original = FakeIDBObjectStore.prototype.put;
  vi.spyOn(FakeIDBObjectStore.prototype, 'put').mockImplementation(function (
    this: IDBObjectStore,
    ...args: Parameters<IDBObjectStore['put']>
  ) {
    if (this.name === CHUNKS && left > 0) {
      left--;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    return original.apply(this, args);
  });
  return { remaining: () => left };
}

const replaceWith = (name: string, rv = '1') => ({
  resourceVersion: rv,
  upserts: [pod('ns', name)],
  deletes: [],
  replace: true,
});

describe('IndexedDbInformerPersistence under storage failures', () => {
  it('evicts the least recently used other store on a quota error, then retries the write', async () => {
    const clock = new FakeClock(1000);
    const warn = vi.fn();
    const persistence = new IndexedDbInformerPersistence({ indexedDB: new IDBFactory(), clock, warn });
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((context) => keyFor({ context })) as [
      typeof podsKey,
      typeof podsKey,
      typeof podsKey,
      typeof podsKey,
    ];
    for (const key of [a, b, c]) {
      await persistence.write(key, replaceWith(key.context));
      clock.step(10);
    }
    await persistence.load(a); // a is now the most recently used; b is the oldest
    await persistence.flush();
    clock.step(10);

    const quota = failChunkPuts(1);
    await persistence.write(d, replaceWith('d'));
    expect(quota.remaining()).toBe(0);
    expect((await persistence.load(d))?.items.map(keyOf)).toEqual(['ns/d']);
    expect(await persistence.load(b)).toBeUndefined();
    expect((await persistence.load(a))?.items.map(keyOf)).toEqual(['ns/a']);
    expect((await persistence.load(c))?.items.map(keyOf)).toEqual(['ns/c']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('context b'));
  });

  it('treats a transaction aborted with QuotaExceededError at commit time like a failing put', async () => {
    const clock = new FakeClock(1000);
    const warn = vi.fn();
    const persistence = new IndexedDbInformerPersistence({ indexedDB: new IDBFactory(), clock, warn });
    const old = keyFor({ context: 'old' });
    await persistence.write(old, replaceWith('o'));
    clock.step(10);
    // Browsers usually report a full disk when the transaction commits, not on put().
    let failures = 1;
    const original = FakeIDBObjectStore.prototype.put;
    vi.spyOn(FakeIDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      const request = original.apply(this, args);
      if (this.name === CHUNKS && failures > 0) {
        failures--;
        // fake-indexeddb's internal abort-with-error, standing in for the browser's commit failure.
        const tx = this.transaction as unknown as { _abort(name: string): void };
        queueMicrotask(() => tx._abort('QuotaExceededError'));
      }
      return request;
    });
    await persistence.write(podsKey, replaceWith('new'));
    expect(failures).toBe(0);
    expect((await persistence.load(podsKey))?.items.map(keyOf)).toEqual(['ns/new']);
    expect(await persistence.load(old)).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('storage quota reached'));
  });

  it('turns memory-only when nothing is left to evict: no more writes, said once', async () => {
    const warn = vi.fn();
    const notices = new PersistenceNotices();
    const factory = new IDBFactory();
    const persistence = new IndexedDbInformerPersistence({ indexedDB: factory, warn, notices });
    const other = keyFor({ context: 'other' });
    await persistence.write(podsKey, replaceWith('old', '1'));
    await persistence.write(other, replaceWith('x'));

    const quota = failChunkPuts(1000);
    await expect(persistence.write(podsKey, replaceWith('new', '2'))).resolves.toBeUndefined();
    // The other store was evicted trying to make room; this one's stale snapshot was deleted
    // rather than left one batch behind.
    expect(await persistence.load(other)).toBeUndefined();
    expect(await persistence.load(podsKey)).toBeUndefined();
    expect(persistence.memoryOnly).toBe(true);
    const putsWhenFull = 1000 - quota.remaining();

    // Every later write is skipped without touching IndexedDB: no second notice, no warning flood.
    for (let i = 3; i < 13; i++) {
      await persistence.write(keyFor({ context: `c${i}` }), replaceWith('y', String(i)));
      await persistence.write(podsKey, replaceWith('z', String(i)));
    }
    expect(1000 - quota.remaining()).toBe(putsWhenFull);
    expect(notices.getSnapshot()).toEqual([{ kind: 'memory-only', message: MEMORY_ONLY_MESSAGE }]);
    const fullWarnings = warn.mock.calls.filter(([m]) => String(m).includes('storage is full'));
    expect(fullWarnings).toHaveLength(1);
    expect(warn.mock.calls.filter(([m]) => String(m).includes('storage quota reached'))).toHaveLength(1);

    // Memory-only lasts for the session, even once the disk has room again.
    vi.restoreAllMocks();
    await persistence.write(podsKey, replaceWith('later', '20'));
    expect(await persistence.load(podsKey)).toBeUndefined();
    // A new session (page load) tries again.
    const next = new IndexedDbInformerPersistence({ indexedDB: factory, warn });
    await next.write(podsKey, replaceWith('fresh', '21'));
    expect((await next.load(podsKey))?.items.map(keyOf)).toEqual(['ns/fresh']);
  });

  it('skips incremental deltas after a non-quota write failure until the next replace', async () => {
    const warn = vi.fn();
    const persistence = new IndexedDbInformerPersistence({ indexedDB: new IDBFactory(), warn });
    await persistence.write(podsKey, replaceWith('old', '1'));
    const original = FakeIDBObjectStore.prototype.put;
    let failures = 1;
    vi.spyOn(FakeIDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === CHUNKS && failures > 0) {
        failures--;
        throw new DOMException('disk I/O error', 'UnknownError');
      }
      return original.apply(this, args);
    });
    await persistence.write(podsKey, replaceWith('new', '2'));
    expect(await persistence.load(podsKey)).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('could not persist'), expect.anything());
    expect(persistence.memoryOnly).toBe(false);

    // Incremental deltas have no base now and are skipped; a replace writes again.
    await persistence.write(podsKey, {
      resourceVersion: '3',
      upserts: [pod('ns', 'y')],
      deletes: [],
      replace: false,
    });
    expect(await persistence.load(podsKey)).toBeUndefined();
    await persistence.write(podsKey, replaceWith('z', '4'));
    await persistence.write(podsKey, {
      resourceVersion: '5',
      upserts: [pod('ns', 'y')],
      deletes: [],
      replace: false,
    });
    expect(await persistence.load(podsKey)).toMatchObject({ resourceVersion: '5' });
    expect((await persistence.load(podsKey))?.items.map(keyOf)).toEqual(['ns/y', 'ns/z']);
  });

  it('discards an older schema version cleanly and works on the new one', async () => {
    const factory = new IDBFactory();
    // A database as an older layout left it: different stores, different records.
    const old = factory.open(INFORMER_CACHE_DB_NAME, 1);
    old.onupgradeneeded = () => {
      const store = old.result.createObjectStore('snapshots', { keyPath: 'id' });
      store.put({ id: 'x', items: [{ weird: true }] });
      old.result.createObjectStore(STORES); // same name, no keyPath, no indexes
    };
    (await requestResult(old)).close();

    const warn = vi.fn();
    const persistence = new IndexedDbInformerPersistence({ indexedDB: factory, warn });
    expect(await persistence.load(podsKey)).toBeUndefined();
    await persistence.write(podsKey, replaceWith('fresh'));
    expect((await persistence.load(podsKey))?.items.map(keyOf)).toEqual(['ns/fresh']);
    expect(warn).not.toHaveBeenCalled();
    await persistence.close();

    const db = await requestResult(factory.open(INFORMER_CACHE_DB_NAME));
    expect(db.version).toBe(INFORMER_CACHE_SCHEMA_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual([CHUNKS, STORES]);
    db.close();
  });

  it('runs without persistence, after one warning, when the database is from a newer version', async () => {
    const factory = new IDBFactory();
    (await requestResult(factory.open(INFORMER_CACHE_DB_NAME, INFORMER_CACHE_SCHEMA_VERSION + 5))).close();
    const warn = vi.fn();
    const persistence = new IndexedDbInformerPersistence({ indexedDB: factory, warn });
    expect(await persistence.load(podsKey)).toBeUndefined();
    await expect(persistence.write(podsKey, replaceWith('x'))).resolves.toBeUndefined();
    expect(await persistence.load(podsKey)).toBeUndefined();
    await persistence.clearContext('kind-a');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/IndexedDB is unavailable.*VersionError/);
  });

  it('runs without persistence, after one warning, when IndexedDB is missing or refuses to open', async () => {
    const throwing = {
      open() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    } as unknown as IDBFactory;
    // Firefox private windows: open() returns a request that then fails.
    const failing = {
      open() {
        const request: { error: DOMException | null; onerror: (() => void) | null } = {
          error: null,
          onerror: null,
        };
        setTimeout(() => {
          request.error = new DOMException('A mutation operation was attempted', 'InvalidStateError');
          request.onerror?.();
        }, 0);
        return request;
      },
    } as unknown as IDBFactory;
    for (const [factory, reason] of [
      [undefined, /no indexedDB/],
      [throwing, /SecurityError/],
      [failing, /InvalidStateError/],
    ] as const) {
      const warn = vi.fn();
      const notices = new PersistenceNotices();
      const persistence = new IndexedDbInformerPersistence({ indexedDB: factory, warn, notices });
      await persistence.write(podsKey, replaceWith('x'));
      expect(await persistence.load(podsKey)).toBeUndefined();
      expect(await persistence.loadFirst(podsKey, 10)).toBeUndefined();
      await persistence.drop(podsKey);
      await persistence.write(podsKey, replaceWith('y'));
      await persistence.flush();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[0]).toMatch(reason);
      // The UI hears it once, whatever the number of calls that ran into it.
      expect(notices.getSnapshot()).toEqual([{ kind: 'unavailable', message: UNAVAILABLE_MESSAGE }]);
    }
  });

  it('gives up opening after the timeout when the open is blocked, and keeps working without it', async () => {
    const clock = new FakeClock();
    const hanging = { open: () => ({}) } as unknown as IDBFactory; // never succeeds nor fails
    const warn = vi.fn();
    const persistence = new IndexedDbInformerPersistence({
      indexedDB: hanging,
      clock,
      warn,
      openTimeoutMs: 5000,
    });
    const loading = persistence.load(podsKey);
    await new Promise((r) => setTimeout(r, 0));
    clock.step(5000);
    expect(await loading).toBeUndefined();
    expect(warn.mock.calls[0]?.[0]).toMatch(/took longer than 5000 ms/);
  });

  it('discards a damaged store with a warning instead of failing the load', async () => {
    const factory = new IDBFactory();
    const warn = vi.fn();
    const persistence = new IndexedDbInformerPersistence({ indexedDB: factory, warn, chunkSize: 2 });
    await persistence.write(podsKey, {
      resourceVersion: '1',
      upserts: [pod('a', '1'), pod('a', '2'), pod('a', '3')],
      deletes: [],
      replace: true,
    });
    await damageChunk(factory, 1);

    expect((await persistence.loadFirst(podsKey, 2))?.items.map(keyOf)).toEqual(['a/1', 'a/2']);
    expect(await persistence.load(podsKey)).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('damaged'), expect.anything());
    expect(await rawRecords(factory, INFORMER_CACHE_DB_NAME, STORES)).toEqual([]);
    expect(await rawRecords(factory, INFORMER_CACHE_DB_NAME, CHUNKS)).toEqual([]);
  });

  it('stops persisting, after a warning, when the browser closes the connection', async () => {
    const factory = new IDBFactory();
    const connections: IDBDatabase[] = [];
    const open = factory.open.bind(factory);
    factory.open = (name: string, version?: number) => {
      const request = open(name, version);
      request.addEventListener('success', () => connections.push(request.result));
      return request;
    };
    const warn = vi.fn();
    const persistence = new IndexedDbInformerPersistence({ indexedDB: factory, warn });
    await persistence.write(podsKey, replaceWith('x'));
    expect(connections).toHaveLength(1);
    // As when the user clears site data in DevTools while the page is open.
    forceCloseDatabase(connections[0] as never);
    await expect(persistence.write(podsKey, replaceWith('y'))).resolves.toBeUndefined();
    expect(await persistence.load(podsKey)).toBeUndefined();
    expect(warn.mock.calls.some(([m]) => /saving informer caches stopped/.test(String(m)))).toBe(true);
  });

  it('lets another tab upgrade the database by closing its connection on versionchange', async () => {
    const factory = new IDBFactory();
    const warn = vi.fn();
    const persistence = new IndexedDbInformerPersistence({ indexedDB: factory, warn });
    await persistence.write(podsKey, replaceWith('x'));
    const newer = await requestResult(
      factory.open(INFORMER_CACHE_DB_NAME, INFORMER_CACHE_SCHEMA_VERSION + 1),
    );
    expect(newer.version).toBe(INFORMER_CACHE_SCHEMA_VERSION + 1);
    newer.close();
    expect(warn.mock.calls.some(([m]) => /newer version/.test(String(m)))).toBe(true);
    expect(await persistence.load(podsKey)).toBeUndefined();
  });
});
