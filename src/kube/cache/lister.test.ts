import { describe, expect, it } from 'vitest';
import { defaultIndexers, podIndexers } from './index-funcs.ts';
import { IndexerCache } from './indexer.ts';
import { createLister } from './lister.ts';
import { DeletedFinalStateUnknown } from './store.ts';
import { pod } from './testing/objects.ts';

function fill(withLabelsIndex: boolean): IndexerCache {
  const idx = new IndexerCache(
    withLabelsIndex ? { ...defaultIndexers(), ...podIndexers() } : defaultIndexers(),
  );
  idx.add(pod('a', 'web-1', '1', { labels: { app: 'web', tier: 'fe' } }));
  idx.add(pod('a', 'web-2', '1', { labels: { app: 'web', tier: 'be' } }));
  idx.add(pod('b', 'web-3', '1', { labels: { app: 'web', tier: 'fe' } }));
  idx.add(pod('b', 'db-1', '1', { labels: { app: 'db' } }));
  idx.add({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', resourceVersion: '1' } });
  return idx;
}

const names = (objs: { metadata?: { name?: string } }[]) => objs.map((o) => o.metadata?.name).sort();

describe.each([true, false])('Lister (labels index: %s)', (withLabels) => {
  it('lists by namespace and by label equality, with and without the labels index', () => {
    const lister = createLister(fill(withLabels).reader());
    expect(names(lister.list())).toEqual(['db-1', 'n1', 'web-1', 'web-2', 'web-3']);
    expect(names(lister.namespace('a').list())).toEqual(['web-1', 'web-2']);
    expect(names(lister.list({ matchLabels: { app: 'web', tier: 'fe' } }))).toEqual(['web-1', 'web-3']);
    expect(names(lister.namespace('b').list({ matchLabels: { app: 'web' } }))).toEqual(['web-3']);
    expect(names(lister.namespace('a').list((o) => o.metadata?.name === 'web-2'))).toEqual(['web-2']);
    expect(
      lister
        .namespace('')
        .list()
        .map((o) => o.metadata?.name),
    ).toEqual(['n1']);
  });

  it('gets by namespace/name and cluster-scoped name', () => {
    const lister = createLister(fill(withLabels).reader());
    expect(lister.namespace('b').get('db-1')?.metadata?.name).toBe('db-1');
    expect(lister.namespace('a').get('db-1')).toBeUndefined();
    expect(lister.get('n1')?.kind).toBe('Node');
    expect(lister.namespace('').get('n1')?.kind).toBe('Node');
  });
});

describe('IndexerCache', () => {
  it('IX-01: deletes a tombstone by its stored key', () => {
    const idx = fill(true);
    idx.delete(new DeletedFinalStateUnknown('a/web-1', null));
    expect(idx.getByKey('a/web-1')).toBeUndefined();
    expect(idx.indexKeys('labels', 'tier=fe')).toEqual(['b/web-3']);
  });

  it('IX-08: replace keys every item before swapping, so a keyless item changes nothing', () => {
    const idx = fill(true);
    expect(() => idx.replace([pod('c', 'x', '2'), { metadata: {} }], '2')).toThrow(
      'object has no metadata.name',
    );
    expect(idx.size).toBe(5);
  });

  it('the reader handle exposes no writes', () => {
    const reader = fill(true).reader();
    expect('add' in reader).toBe(false);
    expect('replace' in reader).toBe(false);
    expect(reader.size).toBe(5);
  });
});
