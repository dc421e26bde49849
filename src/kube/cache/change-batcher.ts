// Batched change notification for views (BR-02, issue 4 "where it runs"): a view re-renders once
// per flush with the set of keys that changed, never once per watch event. On 100k rows a
// per-event render would take the page down; a per-flush render costs one diff.
//
// The flush is scheduled by an injected scheduler: the default waits for the current microtask
// queue to drain (so a whole batch of deltas popped in one turn lands together) and then one
// macrotask; a UI can pass requestAnimationFrame instead.

export type FlushScheduler = (flush: () => void) => void;

export const defaultFlushScheduler: FlushScheduler = (flush) => {
  queueMicrotask(() => setTimeout(flush, 0));
};

export interface ChangeBatch {
  /** Keys added, updated or deleted since the previous batch. Empty when only `synced` changed. */
  readonly keys: ReadonlySet<string>;
  /** The informer's hasSynced() at flush time. */
  readonly synced: boolean;
}

export type ChangeListener = (batch: ChangeBatch) => void;

export class ChangeBatcher {
  readonly #schedule: FlushScheduler;
  readonly #synced: () => boolean;
  readonly #warn: (message: string, error?: unknown) => void;
  readonly #listeners = new Set<ChangeListener>();
  // Invariant: #scheduled is true exactly while a flush is pending; #keys collects until then.
  #keys = new Set<string>();
  #scheduled = false;
  #lastSynced = false;

  constructor(
    schedule: FlushScheduler,
    synced: () => boolean,
    warn: (message: string, error?: unknown) => void,
  ) {
    this.#schedule = schedule;
    this.#synced = synced;
    this.#warn = warn;
  }

  get size(): number {
    return this.#listeners.size;
  }

  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Note a changed key; O(1), no allocation beyond the set entry. */
  changed(key: string): void {
    this.#keys.add(key);
    this.#request();
  }

  /** Ask for a flush without keys (hasSynced may have changed). */
  poke(): void {
    this.#request();
  }

  #request(): void {
    if (this.#scheduled || this.#listeners.size === 0) {
      if (this.#listeners.size === 0) this.#keys.clear(); // nobody to tell: do not accumulate
      return;
    }
    this.#scheduled = true;
    this.#schedule(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const synced = this.#synced();
    if (this.#keys.size === 0 && synced === this.#lastSynced) return;
    const batch: ChangeBatch = { keys: this.#keys, synced };
    this.#keys = new Set();
    this.#lastSynced = synced;
    for (const listener of Array.from(this.#listeners)) {
      try {
        listener(batch);
      } catch (error) {
        this.#warn('a change listener threw', error);
      }
    }
  }
}
