// The watch-delta log's memory: the last `capacity` raw watch events and the rate over a sliding
// window. Appends are O(1); a snapshot is taken at most once per frame by the view.
import type { DeltaRecord } from '../../react/table-lister-watcher.ts';

/** A record with its arrival number (unique per ring, for list keys). */
export interface NumberedDelta extends DeltaRecord {
  seq: number;
}

export class DeltaRing {
  readonly #capacity: number;
  // Invariant: #items holds at most #capacity records, oldest first.
  #items: NumberedDelta[] = [];
  #total = 0;

  constructor(capacity = 500) {
    this.#capacity = capacity;
  }

  push(record: DeltaRecord): void {
    this.#total++;
    this.#items.push({ ...record, seq: this.#total });
    if (this.#items.length > this.#capacity * 2) this.#items = this.#items.slice(-this.#capacity);
  }

  /** Newest first, at most capacity records. */
  latest(): NumberedDelta[] {
    return this.#items.slice(-this.#capacity).reverse();
  }

  get total(): number {
    return this.#total;
  }

  /** Events per second over the `windowMs` before `now`. */
  rate(now: number, windowMs = 5000): number {
    let n = 0;
    for (let i = this.#items.length - 1; i >= 0; i--) {
      const at = this.#items[i]!.at;
      if (at <= now - windowMs) break;
      if (at <= now) n++;
    }
    return n / (windowMs / 1000);
  }

  clear(): void {
    this.#items = [];
    this.#total = 0;
  }
}
