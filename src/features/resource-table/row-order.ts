// What the live table shows, in order: the rows matching the text filter, sorted by one column,
// with deleted rows ("ghosts") kept in place while they fade. Pure, so it is tested without React.
// Sorting follows the column's declared type: integer/number columns compare numerically, the Age
// column (a relative duration string on the server) compares by metadata.creationTimestamp, and
// everything else compares as case-folded text with digit runs compared by value ("pod-2" <
// "pod-10").
//
// Cost: a full sort runs only when the order itself changes (sort column, first list); frame
// batches go through ordered-row-index.ts, which computes a row's keys once per change and keeps
// them (and its filter text) beside the row. Nothing here caches per row object: a WeakMap over
// 50,000 rows made every major GC walk 50,000 ephemerons, several ms of the pause (issue 5).
import { formatCell, type RowObject, type TableColumnDefinition } from '../../react/server-table.ts';

export interface OrderOptions {
  columns: readonly TableColumnDefinition[];
  filter: string;
  /** Index into columns, or -1 for name order. */
  sortColumn: number;
  descending: boolean;
}

export interface OrderedRow {
  key: string;
  row: RowObject;
  deleted: boolean;
}

export function rowKey(row: RowObject): string {
  const { namespace, name } = row.metadata;
  return namespace ? `${namespace}/${name}` : (name ?? '');
}

/** Case-folded, with every digit run left-padded so plain string order is natural order. */
export function naturalKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, (d) => (d.length >= 15 ? d : d.padStart(15, '0')));
}

export type SortKey = string | number;
export type KeyOf = (row: RowObject) => SortKey;

/** The sort key of a row for the column at index (-1 or a missing column: the name). */
export function sortKeyOf(def: TableColumnDefinition | undefined, index: number): KeyOf {
  if (!def) return nameKeyOf;
  // Youngest first when ascending, as `kubectl get --sort-by=.metadata.creationTimestamp` reversed.
  if (def.name === 'Age' || def.format === 'date')
    return (r) => {
      const ts = r.metadata.creationTimestamp;
      const t = typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
      return Number.isNaN(t) ? 0 : -t;
    };
  const numeric = def.type === 'integer' || def.type === 'number';
  if (numeric)
    return (r) => {
      const n = Number(r.cells[index]);
      return Number.isFinite(n) ? n : Number.NEGATIVE_INFINITY;
    };
  return (r) => naturalKey(formatCell(r.cells[index]));
}

/** Total order on sort keys (numbers among numbers, strings among strings). */
export const compare = (a: SortKey, b: SortKey) => (a < b ? -1 : a > b ? 1 : 0);

/** Lower-cased text the filter searches: the row's key, cells and labels. */
export function filterTextOf(row: RowObject): string {
  const labels = row.metadata.labels ?? {};
  const parts = [
    rowKey(row),
    ...row.cells.map(formatCell),
    ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
  ];
  return parts.join('\n').toLowerCase();
}

/** Case-insensitive substring match over the row's key, cells and labels. `filter` is lower-cased. */
export function matchesFilter(row: RowObject, filter: string): boolean {
  return filter === '' || filterTextOf(row).includes(filter);
}

/** The natural-order name key (the tie-breaker after the sort column). */
export function nameKeyOf(row: RowObject): string {
  return naturalKey(rowKey(row));
}

/**
 * The reference order: a full sort. Used when the sort column changes and, in tests, as the
 * oracle for the incremental OrderedRowIndex. Ties on the column break by natural name, then by
 * the exact key, so the order is total (two rows never compare equal).
 */
export function orderRows(
  rows: readonly RowObject[],
  ghosts: ReadonlyMap<string, RowObject>,
  opts: OrderOptions,
): OrderedRow[] {
  const filter = opts.filter.trim().toLowerCase();
  const out: OrderedRow[] = [];
  const live = new Set<string>();
  for (const row of rows) {
    const key = rowKey(row);
    live.add(key);
    if (matchesFilter(row, filter)) out.push({ key, row, deleted: false });
  }
  for (const [key, row] of ghosts) {
    if (!live.has(key) && matchesFilter(row, filter)) out.push({ key, row, deleted: true });
  }
  // Decorate once, sort on the keys, undecorate: no per-comparison lookups.
  const keyOf = sortKeyOf(opts.columns[opts.sortColumn], opts.sortColumn);
  const sign = opts.descending ? -1 : 1;
  const decorated = out.map((o) => ({ o, k: keyOf(o.row), n: nameKeyOf(o.row) }));
  decorated.sort((a, b) => sign * compare(a.k, b.k) || compare(a.n, b.n) || compare(a.o.key, b.o.key));
  return decorated.map((d) => d.o);
}
