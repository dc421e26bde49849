// What the live table shows, in order: the rows matching the text filter, sorted by one column,
// with deleted rows ("ghosts") kept in place while they fade. Pure, so it is tested without React.
// Sorting follows the column's declared type: integer/number columns compare numerically, the Age
// column (a relative duration string on the server) compares by metadata.creationTimestamp, and
// everything else compares as text with numeric-aware collation ("pod-2" < "pod-10").
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

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function rowKey(row: RowObject): string {
  const { namespace, name } = row.metadata;
  return namespace ? `${namespace}/${name}` : (name ?? '');
}

function created(row: RowObject): number {
  const ts = row.metadata.creationTimestamp;
  const t = typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
  return Number.isNaN(t) ? 0 : t;
}

function comparator(opts: OrderOptions): (a: RowObject, b: RowObject) => number {
  const def = opts.columns[opts.sortColumn];
  const byName = (a: RowObject, b: RowObject) => collator.compare(rowKey(a), rowKey(b));
  let cmp: (a: RowObject, b: RowObject) => number;
  if (!def) cmp = byName;
  else if (def.name === 'Age' || def.format === 'date') cmp = (a, b) => created(b) - created(a);
  else if (def.type === 'integer' || def.type === 'number') {
    const i = opts.sortColumn;
    const num = (r: RowObject) => {
      const n = Number(r.cells[i]);
      return Number.isFinite(n) ? n : Number.NEGATIVE_INFINITY;
    };
    cmp = (a, b) => num(a) - num(b);
  } else {
    const i = opts.sortColumn;
    cmp = (a, b) => collator.compare(formatCell(a.cells[i]), formatCell(b.cells[i]));
  }
  const sign = opts.descending ? -1 : 1;
  return (a, b) => sign * cmp(a, b) || byName(a, b);
}

/** Case-insensitive substring match over the row's key, cells and labels. */
export function matchesFilter(row: RowObject, filter: string): boolean {
  if (filter === '') return true;
  if (rowKey(row).toLowerCase().includes(filter)) return true;
  for (const cell of row.cells) if (formatCell(cell).toLowerCase().includes(filter)) return true;
  const labels = row.metadata.labels;
  if (labels) for (const k in labels) if (`${k}=${labels[k]}`.toLowerCase().includes(filter)) return true;
  return false;
}

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
  const cmp = comparator(opts);
  out.sort((a, b) => cmp(a.row, b.row));
  return out;
}
