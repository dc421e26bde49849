// The min-heap of items waiting for their ready time, used by the delaying queue (WQ-10, WQ-11).
// client-go keeps the same structure inside delaying_queue.go (waitForPriorityQueue); here it is
// its own file so its ordering and update rules are tested on their own.

export interface WaitFor<T> {
  readonly item: T;
  /** Clock time (ms) at which the item may be added to the queue. */
  readyAt: number;
  /** Insertion order; breaks ties so items due at the same time come out first-in, first-out. */
  readonly seq: number;
  /** Position in the heap array, kept current by every swap (needed to re-sift on update). */
  index: number;
}

/**
 * A binary min-heap ordered by (readyAt, seq), with at most one entry per item.
 *
 * Invariants: for every index i, entries[i] is not later than its children; entries[i].index === i;
 * #byItem maps each item to its entry, and holds exactly the items in the heap.
 */
export class WaitForPriorityQueue<T> {
  #entries: WaitFor<T>[] = [];
  #byItem = new Map<T, WaitFor<T>>();
  #seq = 0;

  get size(): number {
    return this.#entries.length;
  }

  /** The entry due first, without removing it. */
  peek(): WaitFor<T> | undefined {
    return this.#entries[0];
  }

  /**
   * Schedule item for readyAt. If it is already waiting it keeps the earlier of the two times: a
   * later time never postpones it (WQ-10). Returns true when the item's ready time changed.
   */
  schedule(item: T, readyAt: number): boolean {
    const existing = this.#byItem.get(item);
    if (existing) {
      if (readyAt >= existing.readyAt) return false;
      existing.readyAt = readyAt;
      this.#siftUp(existing.index);
      return true;
    }
    const entry: WaitFor<T> = { item, readyAt, seq: this.#seq++, index: this.#entries.length };
    this.#entries.push(entry);
    this.#byItem.set(item, entry);
    this.#siftUp(entry.index);
    return true;
  }

  /** Remove and return the entry due first. */
  pop(): WaitFor<T> | undefined {
    const top = this.#entries[0];
    if (!top) return undefined;
    const last = this.#entries.pop() as WaitFor<T>;
    if (last !== top) {
      last.index = 0;
      this.#entries[0] = last;
      this.#siftDown(0);
    }
    this.#byItem.delete(top.item);
    return top;
  }

  has(item: T): boolean {
    return this.#byItem.has(item);
  }

  clear(): void {
    this.#entries = [];
    this.#byItem.clear();
  }

  #before(a: WaitFor<T>, b: WaitFor<T>): boolean {
    return a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);
  }

  #swap(i: number, j: number): void {
    const a = this.#entries[i] as WaitFor<T>;
    const b = this.#entries[j] as WaitFor<T>;
    this.#entries[i] = b;
    this.#entries[j] = a;
    b.index = i;
    a.index = j;
  }

  #siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#before(this.#entries[i] as WaitFor<T>, this.#entries[parent] as WaitFor<T>)) return;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #siftDown(i: number): void {
    const n = this.#entries.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (
        left < n &&
        this.#before(this.#entries[left] as WaitFor<T>, this.#entries[smallest] as WaitFor<T>)
      ) {
        smallest = left;
      }
      if (
        right < n &&
        this.#before(this.#entries[right] as WaitFor<T>, this.#entries[smallest] as WaitFor<T>)
      ) {
        smallest = right;
      }
      if (smallest === i) return;
      this.#swap(i, smallest);
      i = smallest;
    }
  }
}
