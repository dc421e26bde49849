import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyChanges,
  type ChunkContents,
  type ChunkRef,
  chunkIndexFor,
  compareKeys,
  groupByChunk,
  isFragmented,
  planUpdate,
  refFor,
  splitEvenly,
} from './chunk-layout.ts';

describe('chunk layout', () => {
  it('finds the chunk of a key: last chunk starting at or before it, else the first', () => {
    const refs: ChunkRef[] = [
      { id: 7, first: 'b', last: 'c', count: 2 },
      { id: 3, first: 'f', last: 'h', count: 3 },
    ];
    expect(chunkIndexFor(refs, 'a')).toBe(0);
    expect(chunkIndexFor(refs, 'b')).toBe(0);
    expect(chunkIndexFor(refs, 'd')).toBe(0); // between chunks: the earlier one grows
    expect(chunkIndexFor(refs, 'f')).toBe(1);
    expect(chunkIndexFor(refs, 'z')).toBe(1);
    expect(chunkIndexFor([], 'a')).toBe(-1);
  });

  it('orders keys by code unit, like the view order of namespace/name', () => {
    expect(['ns-b/x', 'ns-a/y', 'cluster-obj', 'ns-a/x'].sort(compareKeys)).toEqual([
      'cluster-obj',
      'ns-a/x',
      'ns-a/y',
      'ns-b/x',
    ]);
  });

  it('applies upserts and deletes, keeping keys sorted, without touching the input', () => {
    const before: ChunkContents = { keys: ['a', 'c'], items: ['A', 'C'] };
    const after = applyChanges(before, {
      upserts: [
        ['b', 'B'],
        ['c', 'C2'],
      ],
      deletes: ['a'],
    });
    expect(after).toEqual({ keys: ['b', 'c'], items: ['B', 'C2'] });
    expect(before).toEqual({ keys: ['a', 'c'], items: ['A', 'C'] });
  });

  it('plans an update: empty chunks deleted, overgrown ones split under new ids', () => {
    const refs = [refFor(0, { keys: ['a', 'b'], items: ['', ''] }), refFor(1, { keys: ['m'], items: [''] })];
    const grown: ChunkContents = { keys: ['a', 'b', 'c', 'd', 'e'], items: ['A', 'B', 'C', 'D', 'E'] };
    const plan = planUpdate(
      refs,
      new Map([
        [0, grown],
        [1, { keys: [], items: [] }],
      ]),
      2,
      2,
      4,
    );
    expect(plan.deletes).toEqual([1]);
    expect(plan.refs).toEqual([
      { id: 0, first: 'a', last: 'a', count: 1 },
      { id: 2, first: 'b', last: 'c', count: 2 },
      { id: 3, first: 'd', last: 'e', count: 2 },
    ]);
    expect(plan.nextId).toBe(4);
    expect(plan.puts.map((p) => p.id)).toEqual([0, 2, 3]);
  });

  it('splits evenly rather than leaving a one-object remainder', () => {
    const keys = Array.from({ length: 1001 }, (_, i) => String(i).padStart(4, '0'));
    const pieces = splitEvenly({ keys, items: keys }, 500);
    expect(pieces.map((p) => p.keys.length)).toEqual([333, 334, 334]);
    expect(pieces.flatMap((p) => p.keys)).toEqual(keys);
  });

  it('calls a store fragmented when it has far more chunks than a rewrite would make', () => {
    const refs = (counts: number[]) =>
      counts.map((count, id) => ({ id, first: `${id}`, last: `${id}`, count }));
    expect(isFragmented(refs([500, 500, 1]), 500)).toBe(false);
    expect(isFragmented(refs(Array(6).fill(1)), 500)).toBe(false); // 6 ≤ 2 × 1 + 4
    expect(isFragmented(refs(Array(7).fill(1)), 500)).toBe(true);
  });

  it('plans the first chunk of an empty store', () => {
    const plan = planUpdate([], new Map([[0, { keys: ['x'], items: ['X'] }]]), 0);
    expect(plan.refs).toEqual([{ id: 0, first: 'x', last: 'x', count: 1 }]);
  });

  it('keeps every key exactly once and in order under random updates (property)', () => {
    const key = fc.stringMatching(/^[a-d]{1,3}$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(key, { maxLength: 12 }), fc.array(key, { maxLength: 6 })), {
          maxLength: 12,
        }),
        (rounds) => {
          let refs: ChunkRef[] = [];
          const stored = new Map<number, ChunkContents>();
          const model = new Set<string>();
          let nextId = 0;
          for (const [ups, dels] of rounds) {
            const groups = groupByChunk(
              refs,
              ups.map((k): [string, string] => [k, k.toUpperCase()]),
              dels,
            );
            const changed = new Map<number, ChunkContents>();
            for (const [index, changes] of groups) {
              const ref = refs[index];
              const base = ref ? (stored.get(ref.id) as ChunkContents) : { keys: [], items: [] };
              changed.set(index, applyChanges(base, changes));
            }
            const plan = planUpdate(refs, changed, nextId, 3, 5);
            for (const id of plan.deletes) stored.delete(id);
            for (const put of plan.puts) stored.set(put.id, put.contents);
            refs = plan.refs;
            nextId = plan.nextId;
            for (const k of ups) model.add(k);
            for (const k of dels) model.delete(k);
          }
          const all = refs.flatMap((r) => (stored.get(r.id) as ChunkContents).keys);
          expect(all).toEqual([...model].sort(compareKeys));
          for (const r of refs) expect(r.count).toBeLessThanOrEqual(5);
        },
      ),
    );
  });
});
