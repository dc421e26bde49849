import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/api/types.ts';
import { mergeDelta, mergeJsonDelta, validateDelta, validateJsonDelta } from './pending-batch.ts';

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
    expect(b.upserts.get('a/x')).toEqual(pod('a', 'x', '6'));
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

  it('BR-08: pre-serialized deltas coalesce with object deltas in call order, texts kept as is', () => {
    let b = mergeDelta(undefined, {
      resourceVersion: '1',
      upserts: [pod('a', 'x'), pod('a', 'y')],
      deletes: [],
      replace: true,
    });
    b = mergeJsonDelta(b, {
      resourceVersion: '2',
      upserts: [
        ['a/x', '{"kind":"Pod","v":2}'],
        ['a/z', '{"kind":"Pod"}'],
      ],
      deletes: ['a/y'],
      replace: false,
    });
    expect(b.replace).toBe(true);
    expect(b.resourceVersion).toBe('2');
    expect([...b.upserts.keys()].sort()).toEqual(['a/x', 'a/z']);
    expect(b.upserts.get('a/x')).toBe('{"kind":"Pod","v":2}');
    // A replace's deletes are implied by the replace.
    expect([...b.deletes]).toEqual([]);
    b = mergeJsonDelta(b, { resourceVersion: '3', upserts: [], deletes: [], replace: true });
    expect(b.upserts.size).toBe(0);
  });

  it('rejects malformed pre-serialized deltas with a TypeError naming the field', () => {
    const ok = { resourceVersion: '1', upserts: [['a/x', '{}'] as const], deletes: [], replace: false };
    expect(() => validateJsonDelta(ok)).not.toThrow();
    const bad = (patch: Record<string, unknown>) =>
      ({ ...ok, ...patch }) as unknown as Parameters<typeof validateJsonDelta>[0];
    expect(() => validateJsonDelta(bad({ upserts: [['a/x']] }))).toThrow(
      /upsert 0 must be a \[key, json\] pair/,
    );
    expect(() => validateJsonDelta(bad({ upserts: [['', '{}']] }))).toThrow(/key must be a non-empty/);
    expect(() => validateJsonDelta(bad({ upserts: [['a/x', '[1]']] }))).toThrow(/text of a JSON object/);
    expect(() => validateJsonDelta(bad({ upserts: [['a/x', 7]] }))).toThrow(TypeError);
    expect(() => validateJsonDelta(bad({ resourceVersion: 5 }))).toThrow(/resourceVersion/);
    expect(() => validateJsonDelta(bad({ deletes: [1] }))).toThrow(/deletes/);
    expect(() => validateJsonDelta(bad({ replace: 'yes' }))).toThrow(/replace/);
  });
});
