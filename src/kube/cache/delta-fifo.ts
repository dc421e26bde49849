// DeltaFIFO (DF-01..DF-13): the queue between a Reflector and an informer's delta processing.
//
// It serves four needs at once: each object change is processed at most once per pop (a key's
// changes are accumulated and handed over together); the consumer sees everything that happened
// to a key since it last looked (the whole Deltas list, oldest first); deletions the watch missed
// are still noticed (Replace diffs against knownObjects and queues DeletedFinalStateUnknown
// tombstones); and objects can be reprocessed periodically (Resync queues Sync deltas).
//
// Misuse warning: pop from one consumer loop only. Two loops would each get a different subset of
// keys and their processing could interleave at awaits, breaking per-key ordering downstream.
import type { KubeObject } from '../api/types.ts';
import {
  DeletedFinalStateUnknown,
  deletionHandlingMetaNamespaceKeyFunc,
  type KeyFunc,
  type ReflectorStore,
} from './store.ts';

/** DF-01 */
export type DeltaType = 'Added' | 'Updated' | 'Deleted' | 'Replaced' | 'Sync';

export interface Delta<T extends KubeObject = KubeObject> {
  readonly type: DeltaType;
  readonly object: T | DeletedFinalStateUnknown<T>;
}

/** Non-empty, oldest first. Handed to the consumer, who then owns it (DF-11). */
export type Deltas<T extends KubeObject = KubeObject> = Delta<T>[];

/** DF-11 */
export function oldestDelta<T extends KubeObject>(deltas: Deltas<T>): Delta<T> | undefined {
  return deltas[0];
}

/** DF-11 */
export function newestDelta<T extends KubeObject>(deltas: Deltas<T>): Delta<T> | undefined {
  return deltas[deltas.length - 1];
}

/** What the FIFO knows about objects already processed: in an informer, the indexer (SI-01). */
export interface KnownObjects<T extends KubeObject = KubeObject> {
  listKeys(): string[];
  getByKey(key: string): T | undefined;
}

/** Runs synchronously inside pop; no FIFO mutation can interleave with it (DF-08, BR-01). */
export type PopProcessFunc<T extends KubeObject> = (deltas: Deltas<T>, isInInitialList: boolean) => void;

export interface DeltaFIFOOptions<T extends KubeObject> {
  /** DF-03: defaults to deletionHandlingMetaNamespaceKeyFunc. */
  keyFunc?: KeyFunc;
  knownObjects?: KnownObjects<T>;
  /** DF-06 step 1: queue Replaced (true) or Sync (false, the legacy default) on replace. */
  emitDeltaTypeReplaced?: boolean;
  /** DF-09: runs once per object as it is queued, never on tombstones or Sync. Must be idempotent. */
  transformer?: (obj: T) => T;
}

export class DeltaFIFO<T extends KubeObject = KubeObject> implements ReflectorStore<T> {
  // Invariants (DF-01): every value of #items is a non-empty Deltas list, oldest first; a key is
  // in #queue (from #head on) exactly when it is in #items, and never twice. All methods are
  // synchronous, so they hold between any two awaits.
  #items = new Map<string, Deltas<T>>();
  #queue: string[] = [];
  /** Index of the queue's first live slot; slots before it were popped (compacted lazily). */
  #head = 0;
  /** DF-12: set by the first replace, or any add/update/delete before it. Never reset. */
  #populated = false;
  /** DF-12: pops still owed to the first replace's batch. */
  #initialPopulationCount = 0;
  #closed = false;
  /** Pending pop() calls waiting for an item or for close(). */
  #waiters: (() => void)[] = [];

  readonly #keyFunc: KeyFunc;
  readonly #knownObjects: KnownObjects<T> | undefined;
  readonly #emitDeltaTypeReplaced: boolean;
  readonly #transformer: ((obj: T) => T) | undefined;

  constructor(options: DeltaFIFOOptions<T> = {}) {
    this.#keyFunc = options.keyFunc ?? deletionHandlingMetaNamespaceKeyFunc;
    this.#knownObjects = options.knownObjects;
    this.#emitDeltaTypeReplaced = options.emitDeltaTypeReplaced ?? false;
    this.#transformer = options.transformer;
  }

  /** DF-03: the key of an object, a tombstone (its stored key) or a Deltas list (its newest). */
  keyOf(obj: T | DeletedFinalStateUnknown<T> | Deltas<T>): string {
    if (Array.isArray(obj)) {
      const newest = newestDelta(obj);
      if (!newest) throw new Error('zero-length Deltas has no key');
      return this.#keyFunc(newest.object);
    }
    return this.#keyFunc(obj);
  }

  /** DF-02 */
  add(obj: T): void {
    this.#populated = true;
    this.#queueAction('Added', obj);
  }

  /** DF-02 */
  update(obj: T): void {
    this.#populated = true;
    this.#queueAction('Updated', obj);
  }

  /** DF-05 */
  delete(obj: T | DeletedFinalStateUnknown<T>): void {
    const key = this.#keyFunc(obj);
    this.#populated = true;
    const queued = this.#items.has(key);
    if (this.#knownObjects === undefined) {
      // Nothing queued: a relist already reported this deletion.
      if (!queued) return;
    } else if (!queued && this.#knownObjects.getByKey(key) === undefined) {
      return;
    }
    this.#queueAction('Deleted', obj);
  }

  /** DF-06. Keys (and transforms) are computed for every item first: a bad item changes nothing. */
  replace(list: readonly T[], _resourceVersion: string): void {
    const action: DeltaType = this.#emitDeltaTypeReplaced ? 'Replaced' : 'Sync';
    const prepared = list.map((item) => this.#prepare(action, item));
    const listed = new Set<string>();
    for (const [key, object] of prepared) {
      listed.add(key);
      this.#commit(key, action, object);
    }

    let queuedDeletions = 0;
    // Step 2: keys with queued deltas that the list no longer has. Keys are copied first because
    // queueing a tombstone touches #items.
    for (const key of Array.from(this.#items.keys())) {
      if (listed.has(key)) continue;
      const newest = newestDelta(this.#items.get(key)!)!.object;
      const last = newest instanceof DeletedFinalStateUnknown ? newest.obj : newest;
      queuedDeletions++;
      this.#queueAction('Deleted', new DeletedFinalStateUnknown<T>(key, last));
    }

    // Step 3: known (processed) keys the list no longer has, unless already queued above.
    if (this.#knownObjects !== undefined) {
      for (const key of this.#knownObjects.listKeys()) {
        if (listed.has(key) || this.#items.has(key)) continue;
        const known = this.#knownObjects.getByKey(key) ?? null;
        queuedDeletions++;
        this.#queueAction('Deleted', new DeletedFinalStateUnknown<T>(key, known));
      }
    }

    // Step 4
    if (!this.#populated) {
      this.#populated = true;
      this.#initialPopulationCount = listed.size + queuedDeletions;
    }
  }

  /** DF-07: queue Sync for every known key with nothing pending, so stale state never overtakes. */
  resync(): void {
    if (this.#knownObjects === undefined) return;
    for (const key of this.#knownObjects.listKeys()) {
      if (this.#items.has(key)) continue;
      const obj = this.#knownObjects.getByKey(key);
      if (obj === undefined) continue;
      this.#queueAction('Sync', obj);
    }
  }

  /**
   * DF-08: wait for a key, remove it with its Deltas, then run process synchronously. Resolves
   * true once an item was processed, false when the FIFO is closed and drained (pending pops
   * resolve on close, BR-01). If process throws, pop rejects with that error and the item is
   * gone: re-adding it is the caller's decision.
   */
  async pop(process: PopProcessFunc<T>): Promise<boolean> {
    while (this.#head >= this.#queue.length) {
      if (this.#closed) return false;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    // No await from here on: the shift and process form one atomic step (BR-01).
    const key = this.#queue[this.#head]!;
    this.#head++;
    this.#compact();
    const isInInitialList = !this.hasSynced();
    if (this.#initialPopulationCount > 0) this.#initialPopulationCount--;
    const deltas = this.#items.get(key)!;
    this.#items.delete(key);
    process(deltas, isInInitialList);
    return true;
  }

  /** Stop accepting waits: pending and future pops resolve false once the queue is drained. */
  close(): void {
    this.#closed = true;
    this.#wakeAll();
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** DF-12: latches true after the first replace's items were all popped. */
  hasSynced(): boolean {
    return this.#populated && this.#initialPopulationCount === 0;
  }

  /** Number of keys waiting. */
  get length(): number {
    return this.#queue.length - this.#head;
  }

  listKeys(): string[] {
    return this.#queue.slice(this.#head);
  }

  /** A copy of the Deltas queued for key. */
  getByKey(key: string): Deltas<T> | undefined {
    const deltas = this.#items.get(key);
    return deltas ? [...deltas] : undefined;
  }

  #queueAction(type: DeltaType, obj: T | DeletedFinalStateUnknown<T>): void {
    const [key, object] = this.#prepare(type, obj);
    this.#commit(key, type, object);
  }

  /** The key and (DF-09) transformed object of a delta; may throw, and changes nothing. */
  #prepare(type: DeltaType, obj: T | DeletedFinalStateUnknown<T>): [string, T | DeletedFinalStateUnknown<T>] {
    const key = this.#keyFunc(obj);
    if (this.#transformer !== undefined && type !== 'Sync' && !(obj instanceof DeletedFinalStateUnknown)) {
      return [key, this.#transformer(obj)];
    }
    return [key, obj];
  }

  #commit(key: string, type: DeltaType, object: T | DeletedFinalStateUnknown<T>): void {
    const existing = this.#items.get(key);
    const delta: Delta<T> = { type, object };
    if (existing === undefined) {
      this.#items.set(key, [delta]);
      this.#queue.push(key);
      this.#wakeOne();
      return;
    }
    existing.push(delta);
    dedupDeletions(existing);
  }

  #wakeOne(): void {
    const waiter = this.#waiters.shift();
    waiter?.();
  }

  #wakeAll(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Drop popped slots once they are the majority, keeping pop O(1) amortised. */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}

/**
 * DF-04: two trailing Deleted deltas merge into one. The older is kept unless it is a tombstone,
 * in which case the newer (which knows more) is kept.
 */
function dedupDeletions<T extends KubeObject>(deltas: Deltas<T>): void {
  const n = deltas.length;
  if (n < 2) return;
  const older = deltas[n - 2]!;
  const newer = deltas[n - 1]!;
  if (older.type !== 'Deleted' || newer.type !== 'Deleted') return;
  const keep = older.object instanceof DeletedFinalStateUnknown ? newer : older;
  deltas.splice(n - 2, 2, keep);
}
