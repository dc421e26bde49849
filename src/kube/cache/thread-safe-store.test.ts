import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.ts';
import { defaultIndexers, type IndexFunc, labelsIndexFunc, podIndexers } from './index-funcs.ts';
import { pod } from './testing/objects.ts';
import { ThreadSafeStore } from './thread-safe-store.ts';

function store(): ThreadSafeStore {
  return new ThreadSafeStore({ ...defaultIndexers(), ...podIndexers() }, { freeze: true });
}

describe('ThreadSafeStore', () => {
  it('IX-03: add and update are one upsert; deleting an absent key is a no-op', () => {
    const s = store();
    s.add('a/p', pod('a', 'p', '1'));
    s.update('a/p', pod('a', 'p', '2'));
    expect(s.size).toBe(1);
    expect(s.get('a/p')?.metadata?.resourceVersion).toBe('2');
    s.delete('a/missing');
    s.delete('a/p');
    s.delete('a/p');
    expect(s.listKeys()).toEqual([]);
  });

  it('IX-04/IX-05: moves a key between index values and drops values whose set empties', () => {
    const s = store();
    s.add('a/p', pod('a', 'p', '1', { labels: { app: 'web', tier: 'fe' }, nodeName: 'n1' }));
    s.add('a/q', pod('a', 'q', '1', { labels: { app: 'web' } }));
    expect(s.indexKeys('labels', 'app=web').sort()).toEqual(['a/p', 'a/q']);
    s.update('a/p', pod('a', 'p', '2', { labels: { app: 'db' }, nodeName: 'n2' }));
    expect(s.indexKeys('labels', 'app=web')).toEqual(['a/q']);
    expect(s.listIndexFuncValues('labels').sort()).toEqual(['app=db', 'app=web']);
    expect(s.listIndexFuncValues('nodeName')).toEqual(['n2']);
    s.delete('a/q');
    expect(s.listIndexFuncValues('labels')).toEqual(['app=db']);
    // An object with zero values is in no entry of that index (IX-04).
    expect(s.byIndex('nodeName', 'n1')).toEqual([]);
  });

  it('IX-06: byIndex, index (union without duplicates) and an unknown index name', () => {
    const s = store();
    s.add('a/p', pod('a', 'p', '1', { owners: ['rs1', 'rs2'] }));
    s.add('b/q', pod('b', 'q', '1', { owners: ['rs2'] }));
    s.add('b/r', pod('b', 'r', '1', { owners: ['rs3'] }));
    expect(
      s
        .byIndex('ownerUID', 'rs2')
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['p', 'q']);
    const probe = pod('x', 'y', '1', { owners: ['rs1', 'rs2'] });
    expect(
      s
        .index('ownerUID', probe)
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['p', 'q']);
    expect(s.byIndex('namespace', 'b')).toHaveLength(2);
    expect(() => s.byIndex('nope', 'x')).toThrow('Index with name nope does not exist');
    expect(() => s.listIndexFuncValues('nope')).toThrow('Index with name nope does not exist');
  });

  it('IX-07: addIndexers refuses a taken name and indexes existing objects at once', () => {
    const s = new ThreadSafeStore(defaultIndexers(), { freeze: false });
    s.add('a/p', pod('a', 'p', '1', { labels: { app: 'web' } }));
    expect(() => s.addIndexers({ namespace: labelsIndexFunc, extra: labelsIndexFunc })).toThrow(
      'indexer conflict: namespace',
    );
    expect(Object.keys(s.getIndexers())).toEqual(['namespace']);
    s.addIndexers({ labels: labelsIndexFunc });
    expect(s.indexKeys('labels', 'app=web')).toEqual(['a/p']);
  });

  it('IX-08: replace swaps the map and rebuilds every index', () => {
    const s = store();
    s.add('a/p', pod('a', 'p', '1', { labels: { app: 'web' } }));
    s.replace([['b/q', pod('b', 'q', '5', { labels: { app: 'db' } })]], '5');
    expect(s.listKeys()).toEqual(['b/q']);
    expect(s.listIndexFuncValues('labels')).toEqual(['app=db']);
    expect(s.listIndexFuncValues('namespace')).toEqual(['b']);
  });

  it('IX-09: a throwing index function fails the write and leaves items and indexes untouched', () => {
    const boom: IndexFunc = (o: KubeObject) => {
      if (o.metadata?.name === 'bad') throw new Error('boom');
      return [o.metadata?.name ?? ''];
    };
    const s = new ThreadSafeStore({ ...defaultIndexers(), byName: boom }, { freeze: false });
    s.add('a/p', pod('a', 'p', '1'));
    expect(() => s.update('a/p', { ...pod('z', 'bad', '2') })).toThrow(/index function "byName" failed/);
    expect(s.get('a/p')?.metadata?.resourceVersion).toBe('1');
    expect(s.listIndexFuncValues('namespace')).toEqual(['a']);
    expect(() => s.replace([['z/bad', pod('z', 'bad', '3')]], '3')).toThrow(/boom/);
    expect(s.listKeys()).toEqual(['a/p']);
    expect(s.listIndexFuncValues('byName')).toEqual(['p']);
  });

  it('IX-10: stored objects are deep-frozen when freezing is on, and left alone when off', () => {
    const s = store();
    const p = pod('a', 'p', '1', { labels: { app: 'web' } });
    s.add('a/p', p);
    expect(() => {
      (p.metadata!.labels as Record<string, string>).app = 'db';
    }).toThrow(TypeError);
    const loose = new ThreadSafeStore(defaultIndexers(), { freeze: false });
    const q = pod('a', 'q', '1');
    loose.add('a/q', q);
    expect(Object.isFrozen(q)).toBe(false);
  });
});
