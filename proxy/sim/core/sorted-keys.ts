// The ordered key index of one resource's objects ("namespace/name", or "name" when cluster
// scoped), in the byte order etcd keeps keys in, so that paged lists walk a stable order without
// sorting the whole collection per request.
//
// Inserts are buffered: a burst of creates (seeding 100k pods) costs one sort and one merge on the
// next read instead of an O(n) splice per insert. A handful of pending keys is spliced in directly.

/** Sorting threshold: below it, binary-insert pending keys; at or above it, sort and merge. */
const SPLICE_LIMIT = 32;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Index of the first element >= key. */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Invariants: `#sorted` is strictly increasing; `#pending` holds keys not in `#sorted`, each once;
 * the set of keys is `#sorted` ∪ `#pending`. Callers never add a key already present.
 */
export class SortedKeys {
  #sorted: string[] = [];
  #pending: string[] = [];

  get size(): number {
    return this.#sorted.length + this.#pending.length;
  }

  add(key: string): void {
    const last = this.#sorted[this.#sorted.length - 1];
    if (this.#pending.length === 0 && (last === undefined || key > last)) {
      this.#sorted.push(key);
    } else {
      this.#pending.push(key);
    }
  }

  delete(key: string): void {
    const i = lowerBound(this.#sorted, key);
    if (this.#sorted[i] === key) {
      this.#sorted.splice(i, 1);
      return;
    }
    const p = this.#pending.indexOf(key);
    if (p >= 0) {
      this.#pending[p] = this.#pending[this.#pending.length - 1] as string;
      this.#pending.pop();
    }
  }

  /** The keys in order. The array is the index's own: read it, never change it. */
  view(): readonly string[] {
    if (this.#pending.length > 0) this.#flush();
    return this.#sorted;
  }

  clear(): void {
    this.#sorted = [];
    this.#pending = [];
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = [];
    if (pending.length < SPLICE_LIMIT) {
      for (const key of pending) this.#sorted.splice(lowerBound(this.#sorted, key), 0, key);
      return;
    }
    pending.sort(compare);
    const a = this.#sorted;
    const merged = new Array<string>(a.length + pending.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a.length && j < pending.length) {
      const x = a[i] as string;
      const y = pending[j] as string;
      if (x < y) {
        merged[k++] = x;
        i++;
      } else {
        merged[k++] = y;
        j++;
      }
    }
    while (i < a.length) merged[k++] = a[i++] as string;
    while (j < pending.length) merged[k++] = pending[j++] as string;
    this.#sorted = merged;
  }
}
