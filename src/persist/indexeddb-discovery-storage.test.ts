import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { requestResult } from './idb-request.ts';
import {
  type DiscoveryCacheScope,
  IndexedDbDiscoveryStorage,
  upgradeDiscoveryCache,
} from './indexeddb-discovery-storage.ts';

const scope: DiscoveryCacheScope = { context: 'kind', server: 'https://127.0.0.1:6443', user: 'admin' };
const groups = { groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }] }] };

describe('IndexedDbDiscoveryStorage', () => {
  it('DI-11: stores entries with their writtenAt and reads them back (in a later session too)', async () => {
    const factory = new IDBFactory();
    const storage = new IndexedDbDiscoveryStorage({ indexedDB: factory, scope });
    await storage.put('servergroups', groups, 1_000);
    await storage.put('apps/v1/serverresources', { resources: [{ name: 'deployments' }] }, 2_000);
    expect(await storage.get('servergroups')).toEqual({ value: groups, writtenAt: 1_000 });
    await storage.close();

    const reloaded = new IndexedDbDiscoveryStorage({ indexedDB: factory, scope });
    expect(await reloaded.get('apps/v1/serverresources')).toEqual({
      value: { resources: [{ name: 'deployments' }] },
      writtenAt: 2_000,
    });
    expect(await reloaded.get('missing')).toBeUndefined();
    await reloaded.put('servergroups', groups, 5_000); // overwrite refreshes writtenAt (DI-13)
    expect((await reloaded.get('servergroups'))?.writtenAt).toBe(5_000);
  });

  it('BR-08: keeps cluster identities apart; clear() removes only its own', async () => {
    const factory = new IDBFactory();
    const a = new IndexedDbDiscoveryStorage({ indexedDB: factory, scope });
    const b = new IndexedDbDiscoveryStorage({
      indexedDB: factory,
      scope: { ...scope, server: 'https://other:6443' },
    });
    await a.put('servergroups', { from: 'a' }, 1);
    await b.put('servergroups', { from: 'b' }, 2);
    expect((await a.get('servergroups'))?.value).toEqual({ from: 'a' });
    expect((await b.get('servergroups'))?.value).toEqual({ from: 'b' });
    await a.clear();
    expect(await a.get('servergroups')).toBeUndefined();
    expect((await b.get('servergroups'))?.value).toEqual({ from: 'b' });
  });

  it('clearContext removes every identity of a context and nothing else', async () => {
    const factory = new IDBFactory();
    const one = new IndexedDbDiscoveryStorage({ indexedDB: factory, scope });
    const two = new IndexedDbDiscoveryStorage({ indexedDB: factory, scope: { ...scope, user: 'viewer' } });
    const other = new IndexedDbDiscoveryStorage({ indexedDB: factory, scope: { ...scope, context: 'prod' } });
    for (const s of [one, two, other]) await s.put('servergroups', {}, 1);
    await one.clearContext('kind');
    expect(await one.get('servergroups')).toBeUndefined();
    expect(await two.get('servergroups')).toBeUndefined();
    expect(await other.get('servergroups')).toEqual({ value: {}, writtenAt: 1 });
  });

  it('delete removes one entry', async () => {
    const storage = new IndexedDbDiscoveryStorage({ indexedDB: new IDBFactory(), scope });
    await storage.put('servergroups', groups, 1);
    await storage.put('v1/serverresources', {}, 1);
    await storage.delete('servergroups');
    expect(await storage.get('servergroups')).toBeUndefined();
    expect(await storage.get('v1/serverresources')).toBeDefined();
  });

  it('is a no-op after one warning when IndexedDB is unavailable', async () => {
    const warn = vi.fn();
    const storage = new IndexedDbDiscoveryStorage({ indexedDB: undefined, scope, warn });
    await storage.put('servergroups', groups, 1);
    expect(await storage.get('servergroups')).toBeUndefined();
    await storage.clear();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/discovery results will not be saved/);
  });

  it('warns instead of throwing when a value cannot be stored, and rejects bad arguments', async () => {
    const warn = vi.fn();
    const storage = new IndexedDbDiscoveryStorage({ indexedDB: new IDBFactory(), scope, warn });
    await expect(storage.put('servergroups', { f: () => 1 }, 1)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(await storage.get('servergroups')).toBeUndefined();
    await expect(storage.put('', {}, 1)).rejects.toThrow(TypeError);
    await expect(storage.put('k', {}, Number.NaN)).rejects.toThrow(/writtenAt/);
    expect(
      () => new IndexedDbDiscoveryStorage({ indexedDB: undefined, scope: {} as DiscoveryCacheScope }),
    ).toThrow(TypeError);
  });

  it('the upgrade replaces whatever layout an older version left', async () => {
    const factory = new IDBFactory();
    const old = factory.open('discovery-upgrade', 1);
    old.onupgradeneeded = () => {
      old.result.createObjectStore('entries').put({ junk: true }, 'x'); // no keyPath: not our layout
      old.result.createObjectStore('legacy');
    };
    (await requestResult(old)).close();
    const next = factory.open('discovery-upgrade', 2);
    next.onupgradeneeded = (event) => upgradeDiscoveryCache(next.result, event.oldVersion);
    const db = await requestResult(next);
    expect([...db.objectStoreNames]).toEqual(['entries']);
    const entries = db.transaction('entries', 'readonly').objectStore('entries');
    expect(entries.keyPath).toEqual(['scope', 'key']);
    expect(await requestResult(entries.count())).toBe(0);
    db.close();
  });
});
