import { describe, expect, it } from 'vitest';
import type { RowObject, TableColumnDefinition } from '../../react/server-table.ts';
import { naturalKey, orderRows } from './row-order.ts';

const columns: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name' },
  { name: 'Restarts', type: 'integer' },
  { name: 'Age', type: 'string' },
];

function row(name: string, restarts: number, created: string, labels?: Record<string, string>): RowObject {
  const metadata = { name, namespace: 'default', creationTimestamp: created, labels };
  return { metadata, cells: [name, restarts, '1m'], object: { metadata } };
}

const rows = [
  row('pod-10', 2, '2024-01-01T00:00:10Z'),
  row('pod-2', 10, '2024-01-01T00:00:20Z', { app: 'web' }),
];
const names = (r: ReturnType<typeof orderRows>) => r.map((x) => x.row.metadata.name);

describe('orderRows', () => {
  it('sorts names with numeric collation and integer columns numerically', () => {
    expect(
      names(orderRows(rows, new Map(), { columns, filter: '', sortColumn: 0, descending: false })),
    ).toEqual(['pod-2', 'pod-10']);
    expect(
      names(orderRows(rows, new Map(), { columns, filter: '', sortColumn: 1, descending: true })),
    ).toEqual(['pod-2', 'pod-10']);
  });

  it('sorts Age by creation time, youngest first', () => {
    expect(
      names(orderRows(rows, new Map(), { columns, filter: '', sortColumn: 2, descending: false })),
    ).toEqual(['pod-2', 'pod-10']);
  });

  it('filters on cells and labels, keeping fading deleted rows in order', () => {
    const ghost = row('pod-1', 0, '2024-01-01T00:00:00Z');
    const out = orderRows(rows, new Map([['default/pod-1', ghost]]), {
      columns,
      filter: '',
      sortColumn: 0,
      descending: false,
    });
    expect(out.map((r) => [r.row.metadata.name, r.deleted])).toEqual([
      ['pod-1', true],
      ['pod-2', false],
      ['pod-10', false],
    ]);
    expect(
      names(orderRows(rows, new Map(), { columns, filter: 'APP=WEB', sortColumn: 0, descending: false })),
    ).toEqual(['pod-2']);
  });
});

describe('naturalKey', () => {
  it('orders digit runs by value and ignores case', () => {
    const names = ['Pod-10', 'pod-2', 'pod-1a', 'pod-1'];
    expect([...names].sort((a, b) => (naturalKey(a) < naturalKey(b) ? -1 : 1))).toEqual([
      'pod-1',
      'pod-1a',
      'pod-2',
      'Pod-10',
    ]);
  });
});
