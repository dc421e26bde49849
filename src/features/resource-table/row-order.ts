// What the live table shows, in order: the rows matching the text filter, sorted by one column,
// with deleted rows ("ghosts") kept in place while they fade. Pure, so it is tested without React.
// Sorting follows the column's declared type: integer/number columns compare numerically, the Age
// column (a relative duration string on the server) compares by metadata.creationTimestamp, and
// everything else compares as case-folded text with digit runs compared by value ("pod-2" <
// "pod-10").
//
// Cost: a full sort runs only when the order itself changes (sort column, first list); frame
// batches go through ordered-row-index.ts. Per-row work is cached per row object. Cached rows are
// immutable (IX-10) and replaced on every change, so a WeakMap keyed by the row object is always
// current and frees itself when the row goes.
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

// Column sort keys are not cached here: both orderRows and the OrderedRowIndex compute a row's key
// once and keep it beside the row.
interface RowFacts {
  name: string;
  /** Lower-cased text searched by the filter: key, cells and labels; built on the first filter. */
  haystack: string | undefined;
}

const facts = new WeakMap<RowObject, RowFacts>();

function factsOf(row: RowObject): RowFacts {
  let f = facts.get(row);
  if (!f) {
    f = { name: naturalKey(rowKey(row)), haystack: undefined };
    facts.set(row, f);
  }
  return f;
}

export type SortKey = string | number;
export type KeyOf = (row: RowObject) => SortKey;

/** The sort key of a row for the column at index (-1 or a missing column: the name). */
export function sortKeyOf(def: TableColumnDefinition | undefined, index: number): KeyOf {
  if (!def) return (r) => factsOf(r).name;
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

/** Case-insensitive substring match over the row's key, cells and labels. `filter` is lower-cased. */
export function matchesFilter(row: RowObject, filter: string): boolean {
  if (filter === '') return true;
  const f = factsOf(row);
  if (f.haystack === undefined) {
    const labels = row.metadata.labels ?? {};
    const parts = [
      rowKey(row),
      ...row.cells.map(formatCell),
      ...Object.entries(labels).map(([k, v]) => `${k}=${v}`),
    ];
    f.haystack = parts.join('\n').toLowerCase();
  }
  return f.haystack.includes(filter);
}

/** The natural-order name key (the tie-breaker after the sort column). */
export function nameKeyOf(row: RowObject): string {
  return factsOf(row).name;
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
  const decorated = out.map((o) => ({ o, k: keyOf(o.row), n: factsOf(o.row).name }));
  decorated.sort((a, b) => sign * compare(a.k, b.k) || compare(a.n, b.n) || compare(a.o.key, b.o.key));
  return decorated.map((d) => d.o);
}
