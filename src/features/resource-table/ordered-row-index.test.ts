import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RowObject, TableColumnDefinition } from '../../react/server-table.ts';
import { OrderedRowIndex } from './ordered-row-index.ts';
import { type OrderOptions, orderRows } from './row-order.ts';

const columns: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name' },
  { name: 'Restarts', type: 'integer' },
  { name: 'Status', type: 'string' },
  { name: 'Age', type: 'string' },
];

let serial = 0;
function row(ns: string, name: string, restarts: number, status: string, createdSec: number): RowObject {
  const metadata = {
    name,
    namespace: ns,
    resourceVersion: String(++serial),
    creationTimestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, createdSec)).toISOString(),
    labels: { tier: status === 'Running' ? 'web' : 'db' },
  };
  return { metadata, cells: [name, restarts, status, '1m'], object: { metadata } };
}

const keyOf = (r: RowObject) => `${r.metadata.namespace}/${r.metadata.name}`;
const shown = (index: OrderedRowIndex) => index.toArray().map((o) => `${o.deleted ? '~' : ''}${o.key}`);
const expected = (live: Map<string, RowObject>, ghosts: Map<string, RowObject>, opts: OrderOptions) =>
  orderRows([...live.values()], ghosts, opts).map((o) => `${o.deleted ? '~' : ''}${o.key}`);

// Few names and namespaces, so inserts, updates and deletes hit the same keys often; names with
// digit runs and case differences exercise the natural-order and exact-key tie-breaks.
const arbRow = fc
  .record({
    ns: fc.constantFrom('a', 'b'),
    name: fc.constantFrom('pod-1', 'pod-2', 'pod-10', 'Pod-2', 'web', 'web-01', 'db', 'x9', 'x10', 'z'),
    restarts: fc.integer({ min: 0, max: 4 }),
    status: fc.constantFrom('Running', 'Pending', 'CrashLoopBackOff'),
    created: fc.integer({ min: 0, max: 5 }),
  })
  .map((r) => row(r.ns, r.name, r.restarts, r.status, r.created));

type Op =
  | { op: 'upsert'; row: RowObject }
  | { op: 'delete'; pick: number; ghost: boolean }
  | { op: 'unghost'; pick: number }
  | { op: 'configure'; sortColumn: number; descending: boolean; filter: string };

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: arbRow.map((r) => ({ op: 'upsert' as const, row: r })) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat(), ghost: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unghost' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('configure' as const),
      sortColumn: fc.integer({ min: -1, max: 3 }),
      descending: fc.boolean(),
      filter: fc.constantFrom('', '', 'pod', 'RUNNING', 'tier=db', 'x1'),
    }),
  },
);

describe('OrderedRowIndex', () => {
  it('after random inserts, updates, deletes, ghosts and re-sorts, the order equals a full sort', () => {
    fc.assert(
      fc.property(fc.array(arbRow, { maxLength: 15 }), fc.array(arbOp, { maxLength: 60 }), (initial, ops) => {
        let opts: OrderOptions = { columns, filter: '', sortColumn: 0, descending: false };
        const live = new Map<string, RowObject>();
        for (const r of initial) if (!live.has(keyOf(r))) live.set(keyOf(r), r);
        const ghosts = new Map<string, RowObject>();
        const index = new OrderedRowIndex(opts);
        index.reset(live.values());
        for (const op of ops) {
          if (op.op === 'upsert') {
            const key = keyOf(op.row);
            live.set(key, op.row);
            ghosts.delete(key);
            index.apply([key], (k) => live.get(k), 1);
          } else if (op.op === 'delete') {
            const keys = [...live.keys()];
            if (keys.length === 0) continue;
            const key = keys[op.pick % keys.length]!;
            const last = live.get(key)!;
            live.delete(key);
            index.apply([key], (k) => live.get(k), 1);
            if (op.ghost) {
              ghosts.set(key, last);
              index.upsert(key, last, true);
            }
          } else if (op.op === 'unghost') {
            const keys = [...ghosts.keys()];
            if (keys.length === 0) continue;
            const key = keys[op.pick % keys.length]!;
            ghosts.delete(key);
            index.remove(key);
          } else {
            opts = { columns, filter: op.filter, sortColumn: op.sortColumn, descending: op.descending };
            index.configure(opts);
          }
          expect(shown(index)).toEqual(expected(live, ghosts, opts));
          const liveShown = index.toArray().filter((o) => !o.deleted).length;
          expect(index.liveCount).toBe(liveShown);
          for (let i = 0; i < index.length; i++) expect(index.indexOf(index.at(i)!.key)).toBe(i);
          expect(index.ghostKeys().sort()).toEqual([...ghosts.keys()].sort());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('applies a large batch (a relist) as one rebuild with the same result as a full sort', () => {
    const live = new Map<string, RowObject>();
    for (let i = 0; i < 500; i++) {
      const r = row('ns', `pod-${i}`, i % 7, i % 3 ? 'Running' : 'Pending', i % 11);
      live.set(keyOf(r), r);
    }
    const opts: OrderOptions = { columns, filter: '', sortColumn: 1, descending: true };
    const index = new OrderedRowIndex(opts);
    index.reset(live.values(), new Map([['ns/gone', row('ns', 'gone', 9, 'Running', 0)]]));
    const changed: string[] = [];
    for (let i = 0; i < 500; i += 2) {
      const key = `ns/pod-${i}`;
      changed.push(key);
      if (i % 4 === 0) live.delete(key);
      else live.set(key, row('ns', `pod-${i}`, (i * 5) % 13, 'Running', i % 5));
    }
    index.apply(changed, (k) => live.get(k), changed.length);
    expect(shown(index)).toEqual(
      expected(live, new Map([['ns/gone', row('ns', 'gone', 9, 'Running', 0)]]), opts),
    );
    expect(index.ghostKeys()).toEqual(['ns/gone']);
  });

  it('finds nothing for unknown or filtered-out keys, and ignores removing them', () => {
    const a = row('ns', 'a', 0, 'Running', 0);
    const b = row('ns', 'b', 0, 'Pending', 0);
    const index = new OrderedRowIndex({ columns, filter: 'pending', sortColumn: 0, descending: false });
    index.reset([a, b]);
    expect(index.indexOf('ns/a')).toBe(-1);
    expect(index.indexOf('ns/b')).toBe(0);
    expect(index.indexOf('ns/zzz')).toBe(-1);
    index.remove('ns/zzz');
    expect(index.length).toBe(1);
    expect(index.liveCount).toBe(1);
  });
});
