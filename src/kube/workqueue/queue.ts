// The plain work queue (WQ-01..08), a port of client-go util/workqueue/queue.go.
//
// A controller's workers call get() for the next item, process it, then call done(item). The queue
// guarantees that one item is never handed to two workers at once, and that any number of add()s
// while an item is being processed lead to exactly one more run of it (WQ-05).
//
// Go's mutex and condition variable disappear in the browser (BR-01): every method below runs
// synchronously to completion, and get() is a Promise. A get() that has to wait is handed its item
// directly inside add(), synchronously, so no other caller can take the item between the wake-up
// and the moment the waiter resumes.

/** What get() resolves to: the next item, or `shutdown: true` once the queue is shut down and empty. */
export type GetResult<T> = { item: T; shutdown: false } | { item: undefined; shutdown: true };

/**
 * The queue contract shared by the plain, delaying and rate-limiting queues.
 *
 * Items are compared with SameValueZero (a Set), so use keys (strings such as "namespace/name")
 * rather than objects: two equal-looking objects are two different items.
 */
export interface WorkQueue<T = string> {
  /** WQ-02: mark item as needing processing. Ignored while shutting down. */
  add(item: T): void;
  /** WQ-06: the number of items waiting to be handed out (items being processed are not counted). */
  len(): number;
  /** WQ-03: the next item, waiting if the queue is empty; `shutdown: true` once shut down and empty. */
  get(): Promise<GetResult<T>>;
  /** WQ-04: the worker has finished item. If it was added meanwhile, it is queued again, once. */
  done(item: T): void;
  /** WQ-07: ignore further adds and wake every waiting get(). Safe to call more than once. */
  shutDown(): void;
  /** WQ-08: shutDown(), then resolve once every item handed out has been done() (or shutDown() is called). */
  shutDownWithDrain(): Promise<void>;
  shuttingDown(): boolean;
}

type Waiter<T> = (result: GetResult<T>) => void;

export class Queue<T = string> implements WorkQueue<T> {
  // Invariant: every item in #queue is also in #dirty and not in #processing, and appears once.
  // Items are taken from the head and appended at the tail (FIFO).
  #queue: T[] = [];
  // Index of the head in #queue; the array is compacted when the consumed prefix grows, so get() is
  // O(1) amortized instead of the O(n) of Array.prototype.shift on long queues.
  #head = 0;
  // Items that need processing. An item may be in #dirty and #processing at the same time: it was
  // added again while being processed, and done() will requeue it.
  #dirty = new Set<T>();
  // Items handed out by get() and not yet done().
  #processing = new Set<T>();
  // Pending get() calls, oldest first. Invariant: non-empty only while #queue is empty and the
  // queue is not shutting down (add() hands items straight to waiters; shutDown() wakes them all).
  #waiters: Waiter<T>[] = [];
  #shuttingDown = false;
  // Callers of shutDownWithDrain() still waiting for #processing to empty. Released when it
  // empties, or by a later shutDown().
  #drainers: Array<() => void> = [];

  add(item: T): void {
    if (this.#shuttingDown) return;
    if (this.#dirty.has(item)) return;
    this.#dirty.add(item);
    // Being processed: done() requeues it (WQ-02 step 3, WQ-04).
    if (this.#processing.has(item)) return;
    this.#enqueue(item);
  }

  len(): number {
    return this.#queue.length - this.#head;
  }

  get(): Promise<GetResult<T>> {
    if (this.len() > 0) return Promise.resolve({ item: this.#take(), shutdown: false });
    if (this.#shuttingDown) return Promise.resolve({ item: undefined, shutdown: true });
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  done(item: T): void {
    if (!this.#processing.delete(item)) return;
    if (this.#dirty.has(item)) {
      this.#enqueue(item);
    } else if (this.#processing.size === 0) {
      this.#releaseDrainers();
    }
  }

  shutDown(): void {
    this.#shuttingDown = true;
    // A later shutDown() stops a drain that is still waiting (WQ-08).
    this.#releaseDrainers();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake({ item: undefined, shutdown: true });
  }

  shutDownWithDrain(): Promise<void> {
    const drained = new Promise<void>((resolve) => {
      this.#drainers.push(resolve);
    });
    const drainers = this.#drainers;
    this.#drainers = [];
    this.shutDown(); // would release the drainers; they are set aside and restored below
    this.#drainers = drainers;
    if (this.#processing.size === 0) this.#releaseDrainers();
    return drained;
  }

  shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  #releaseDrainers(): void {
    const drainers = this.#drainers;
    this.#drainers = [];
    for (const release of drainers) release();
  }

  /** Append an item that is dirty and not processing, or hand it to the oldest waiter. */
  #enqueue(item: T): void {
    const waiter = this.#waiters.shift();
    if (waiter) {
      // The queue is empty whenever someone waits, so FIFO order is preserved.
      this.#dirty.delete(item);
      this.#processing.add(item);
      waiter({ item, shutdown: false });
      return;
    }
    this.#queue.push(item);
  }

  #take(): T {
    const item = this.#queue[this.#head] as T;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#processing.add(item);
    this.#dirty.delete(item);
    return item;
  }
}
