// The live table's row order, kept up to date incrementally: at 100,000 rows and 1,000 watch
// events a second, re-sorting everything once per frame batch would cost far more than a frame.
// A change costs a binary search plus one splice (a memmove) instead; only a change of the order
// itself (sort column or direction) sorts everything again, and a change of the text filter
// re-scans the sorted rows once (O(n), no sort).
//
// Invariants:
// - #all is sorted by #cmp, which is a total order (sort key, then natural name, then the exact
//   key), so every entry has exactly one place and binary search finds it;
// - #ghosts holds exactly the keys of the entries with deleted: true;
// - #byKey holds exactly the entries of #all; an entry's sort fields are those it was inserted
//   with, so it can be found again even after its row object changed;
// - #visible is #all restricted to entries whose `visible` is true, in the same order; it is the
//   very same array as #all while the filter is empty.
import type { RowObject, TableColumnDefinition } from '../../react/server-table.ts';
import {
  compare,
  filterTextOf,
  type KeyOf,
  nameKeyOf,
  type OrderedRow,
  type OrderOptions,
  rowKey,
  type SortKey,
  sortKeyOf,
} from './row-order.ts';

interface Entry extends OrderedRow {
  sort: SortKey;
  name: string;
  /** filterTextOf(row), built the first time a filter needs it (entries are replaced per change). */
  filterText: string | undefined;
  /** Matches the current filter. */
  visible: boolean;
}

/** Above this share of changed rows, one full sort is cheaper than that many splices. */
const REBUILD_SHARE = 0.25;

export class OrderedRowIndex {
  #columns: readonly TableColumnDefinition[] = [];
  #sortColumn = -1;
  #descending = false;
  #filter = '';
  #keyOf: KeyOf = sortKeyOf(undefined, -1);
  #all: Entry[] = [];
  #visible: Entry[] = this.#all;
  readonly #byKey = new Map<string, Entry>();
  /** Keys of the entries that are ghosts (deleted: true), so ghost bookkeeping is O(ghosts). */
  readonly #ghosts = new Set<string>();
  /** Live (not deleted) entries among #visible. */
  #visibleLive = 0;
  /** Bumped on every change of the visible order; a cheap "did anything change" for memos. */
  version = 0;

  constructor(opts: OrderOptions) {
    this.configure(opts);
  }

  /** Rows shown, in order (ghosts included). */
  get length(): number {
    return this.#visible.length;
  }

  /** Live rows shown (the filtered count). */
  get liveCount(): number {
    return this.#visibleLive;
  }

  at(index: number): OrderedRow | undefined {
    return this.#visible[index];
  }

  /** Position of key among the shown rows, or -1; O(log n). */
  indexOf(key: string): number {
    const entry = this.#byKey.get(key);
    if (!entry?.visible) return -1;
    const i = this.#lowerBound(this.#visible, entry);
    return this.#visible[i] === entry ? i : -1;
  }

  /** The shown rows as an array (tests and small tables; O(n)). */
  toArray(): OrderedRow[] {
    return this.#visible.map(({ key, row, deleted }) => ({ key, row, deleted }));
  }

  /**
   * Apply new sort/filter options. A new sort column, direction or column set sorts everything
   * once; a new filter re-scans in order; anything else is free.
   */
  configure(opts: OrderOptions): void {
    const filter = opts.filter.trim().toLowerCase();
    const resort =
      opts.columns !== this.#columns ||
      opts.sortColumn !== this.#sortColumn ||
      opts.descending !== this.#descending;
    const refilter = filter !== this.#filter;
    if (!resort && !refilter) return;
    this.#columns = opts.columns;
    this.#sortColumn = opts.sortColumn;
    this.#descending = opts.descending;
    this.#filter = filter;
    if (resort) {
      this.#keyOf = sortKeyOf(opts.columns[opts.sortColumn], opts.sortColumn);
      for (const e of this.#all) {
        e.sort = this.#keyOf(e.row);
        e.name = nameKeyOf(e.row);
      }
      this.#all.sort(this.#cmp);
    }
    this.#refilter();
  }

  /** Replace everything: live rows plus fading deleted rows (a ghost whose key is live is ignored). */
  reset(rows: Iterable<RowObject>, ghosts: ReadonlyMap<string, RowObject> = new Map()): void {
    this.#byKey.clear();
    this.#ghosts.clear();
    const all: Entry[] = [];
    for (const row of rows) {
      const e = this.#entry(rowKey(row), row, false);
      if (this.#byKey.has(e.key)) continue; // a duplicate key: the first wins, as in a Map
      this.#byKey.set(e.key, e);
      all.push(e);
    }
    for (const [key, row] of ghosts) {
      if (this.#byKey.has(key)) continue;
      const e = this.#entry(key, row, true);
      this.#byKey.set(key, e);
      this.#ghosts.add(key);
      all.push(e);
    }
    all.sort(this.#cmp);
    this.#all = all;
    this.#refilter();
  }

  /**
   * Apply a batch of changes: `rowOf(key)` is the key's current row, or undefined when it is
   * gone. Large batches (a relist) fall back to one full sort.
   */
  apply(keys: Iterable<string>, rowOf: (key: string) => RowObject | undefined, count: number): void {
    if (count > Math.max(64, this.#all.length * REBUILD_SHARE)) {
      const next = new Map<string, RowObject>();
      for (const e of this.#all) if (!e.deleted) next.set(e.key, e.row);
      for (const key of keys) {
        const row = rowOf(key);
        if (row) next.set(key, row);
        else next.delete(key);
      }
      const ghosts = new Map<string, RowObject>();
      for (const e of this.#all) if (e.deleted && !next.has(e.key)) ghosts.set(e.key, e.row);
      this.reset(next.values(), ghosts);
      return;
    }
    for (const key of keys) {
      const row = rowOf(key);
      if (row) this.upsert(key, row, false);
      else this.remove(key);
    }
  }

  /** Insert or update one row (deleted: a fading ghost). O(log n) search + one splice. */
  upsert(key: string, row: RowObject, deleted: boolean): void {
    const old = this.#byKey.get(key);
    if (old && old.row === row && old.deleted === deleted) return;
    const next = this.#entry(key, row, deleted);
    if (old && old.sort === next.sort && old.name === next.name && old.visible === next.visible) {
      // Same place: swap the entry in without moving anything.
      const i = this.#lowerBound(this.#all, old);
      this.#all[i] = next;
      if (this.#visible !== this.#all && old.visible)
        this.#visible[this.#lowerBound(this.#visible, old)] = next;
      if (old.visible) this.#visibleLive += (deleted ? 0 : 1) - (old.deleted ? 0 : 1);
      this.#byKey.set(key, next);
      if (deleted) this.#ghosts.add(key);
      else this.#ghosts.delete(key);
      this.version++;
      return;
    }
    if (old) this.remove(key);
    this.#byKey.set(key, next);
    if (deleted) this.#ghosts.add(key);
    this.#all.splice(this.#lowerBound(this.#all, next), 0, next);
    if (next.visible) {
      if (this.#visible !== this.#all) this.#visible.splice(this.#lowerBound(this.#visible, next), 0, next);
      if (!deleted) this.#visibleLive++;
    }
    this.version++;
  }

  /** Remove one row (live or ghost); unknown keys are ignored. */
  remove(key: string): void {
    const old = this.#byKey.get(key);
    if (!old) return;
    this.#byKey.delete(key);
    this.#ghosts.delete(key);
    this.#all.splice(this.#lowerBound(this.#all, old), 1);
    if (old.visible) {
      if (this.#visible !== this.#all) this.#visible.splice(this.#lowerBound(this.#visible, old), 1);
      if (!old.deleted) this.#visibleLive--;
    }
    this.version++;
  }

  /** Keys currently kept as fading ghosts. */
  ghostKeys(): string[] {
    return [...this.#ghosts];
  }

  #entry(key: string, row: RowObject, deleted: boolean): Entry {
    const e: Entry = {
      key,
      row,
      deleted,
      sort: this.#keyOf(row),
      name: nameKeyOf(row),
      filterText: undefined,
      visible: true,
    };
    e.visible = this.#matches(e);
    return e;
  }

  #matches(e: Entry): boolean {
    if (this.#filter === '') return true;
    e.filterText ??= filterTextOf(e.row);
    return e.filterText.includes(this.#filter);
  }

  #refilter(): void {
    let live = 0;
    if (this.#filter === '') {
      for (const e of this.#all) {
        e.visible = true;
        if (!e.deleted) live++;
      }
      this.#visible = this.#all;
    } else {
      const visible: Entry[] = [];
      for (const e of this.#all) {
        e.visible = this.#matches(e);
        if (!e.visible) continue;
        visible.push(e);
        if (!e.deleted) live++;
      }
      this.#visible = visible;
    }
    this.#visibleLive = live;
    this.version++;
  }

  readonly #cmp = (a: Entry, b: Entry): number =>
    (this.#descending ? -1 : 1) * compare(a.sort, b.sort) || compare(a.name, b.name) || compare(a.key, b.key);

  /** The first position whose entry is not before e. */
  #lowerBound(list: readonly Entry[], e: Entry): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cmp(list[mid]!, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
