import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/api/types.ts';
import { mergeDelta, validateDelta } from './pending-batch.ts';

const pod = (ns: string, name: string, rv = '1'): KubeObject => ({
  kind: 'Pod',
  metadata: { namespace: ns, name, resourceVersion: rv },
});

describe('pending batch', () => {
  it('BR-08: merges deltas into their net effect with the newest resourceVersion', () => {
    let b = mergeDelta(undefined, {
      resourceVersion: '5',
      upserts: [pod('a', 'x')],
      deletes: ['a/gone'],
      replace: false,
    });
    b = mergeDelta(b, {
      resourceVersion: '6',
      upserts: [pod('a', 'x', '6'), pod('a', 'y')],
      deletes: [],
      replace: false,
    });
    b = mergeDelta(b, {
      resourceVersion: '7',
      upserts: [pod('a', 'gone')],
      deletes: ['a/y'],
      replace: false,
    });
    expect(b.resourceVersion).toBe('7');
    expect([...b.upserts.keys()].sort()).toEqual(['a/gone', 'a/x']);
    expect(b.upserts.get('a/x')?.metadata?.resourceVersion).toBe('6');
    expect([...b.deletes]).toEqual(['a/y']);
    expect(b.replace).toBe(false);
  });

  it('BR-08: a replace discards what was pending; later deltas apply on top of it', () => {
    let b = mergeDelta(undefined, {
      resourceVersion: '1',
      upserts: [pod('a', 'old')],
      deletes: [],
      replace: false,
    });
    b = mergeDelta(b, {
      resourceVersion: '2',
      upserts: [pod('a', 'x'), pod('a', 'y')],
      deletes: [],
      replace: true,
    });
    b = mergeDelta(b, { resourceVersion: '3', upserts: [], deletes: ['a/y'], replace: false });
    expect(b.replace).toBe(true);
    expect([...b.upserts.keys()]).toEqual(['a/x']);
    expect(b.deletes.size).toBe(0); // nothing to delete from a replaced store
  });

  it('within one delta, a key both upserted and deleted ends up deleted', () => {
    const b = mergeDelta(undefined, {
      resourceVersion: '1',
      upserts: [pod('a', 'x')],
      deletes: ['a/x'],
      replace: false,
    });
    expect(b.upserts.size).toBe(0);
    expect([...b.deletes]).toEqual(['a/x']);
  });

  it('counts objects without a name instead of throwing', () => {
    const b = mergeDelta(undefined, {
      resourceVersion: '1',
      upserts: [{ kind: 'Pod' }, pod('', 'node-1')],
      deletes: [],
      replace: true,
    });
    expect(b.invalid).toBe(1);
    expect([...b.upserts.keys()]).toEqual(['node-1']);
  });

  it('rejects malformed deltas with a TypeError naming the field', () => {
    const bad = (d: unknown) => () => validateDelta(d as never);
    expect(bad(null)).toThrow(TypeError);
    expect(bad({ resourceVersion: 5, upserts: [], deletes: [], replace: false })).toThrow(/resourceVersion/);
    expect(bad({ resourceVersion: '1', upserts: {}, deletes: [], replace: false })).toThrow(/upserts/);
    expect(bad({ resourceVersion: '1', upserts: [], deletes: [1], replace: false })).toThrow(/deletes/);
    expect(bad({ resourceVersion: '1', upserts: [], deletes: [] })).toThrow(/replace/);
  });
});
