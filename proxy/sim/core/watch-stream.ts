// One open watch: the body of a `?watch=true` response, as an AsyncIterable of chunks, each a run
// of newline-terminated JSON events (WS-01, WS-02). A stream is fed synchronously by its store
// (offer) and drained by the transport (the async iterator), so fan-out costs one filter check per
// watcher per event; the line for an event is encoded once per (type, apiVersion) and shared by
// every watcher that receives it.
//
// Flow: initial objects (synthetic ADDED, for RV unset/"0" or sendInitialEvents) are drained
// first, then the optional initial-events-end bookmark, then the live queue. The live queue is
// bounded: a watcher that falls `bufferLimit` events behind is closed, as the apiserver closes an
// unresponsive watcher; the client then resumes from the last RV it saw.
import type { KubeObject, Status } from '../../../src/kube/api/types.ts';
import type { FieldSelector } from './field-selector.ts';
import type { LabelSelector } from './label-selector.ts';
import type { StoreEvent, StoreEventType } from './object-store.ts';
import { internalError } from './status.ts';

export interface WatchStreamOptions {
  kind: string;
  apiVersion: string;
  /** "ns/" for a namespaced watch, "" for all namespaces / cluster scope. */
  keyPrefix: string;
  labelSelector: LabelSelector;
  fieldSelector: FieldSelector;
  /** Selectors other than "everything" are present (skips matching work when false). */
  filtered: boolean;
  /** Live events with rv <= this are ignored (a watch from an RV the server has not reached). */
  minRv: number;
  bufferLimit: number;
  /**
   * Encodes an object for this watcher when it needs a private form (Table output). Undefined
   * means plain JSON, shared across watchers through StoreEvent.wire.
   */
  encodeObject?: (obj: KubeObject) => string;
  /** Events per chunk handed to the transport. */
  chunkEvents?: number;
}

type Pending =
  | { t: 'event'; ev: StoreEvent; type: StoreEventType; object: KubeObject }
  | { t: 'bookmark'; rv: number; initialEnd: boolean }
  | { t: 'error'; status: Status };

const DEFAULT_CHUNK_EVENTS = 256;

/**
 * Invariants: once `#closed` is true nothing is queued or yielded any more and `onClose` has run
 * exactly once; `#wake` is set only while the consumer awaits an empty stream.
 */
export class WatchStream implements AsyncIterable<string> {
  readonly #o: WatchStreamOptions;
  #initial: readonly KubeObject[] = [];
  #initialIndex = 0;
  #queue: Pending[] = [];
  #queueHead = 0;
  #closed = false;
  /** Deliver what is queued, then end (used after an ERROR event). */
  #endAfterDrain = false;
  #wake: (() => void) | undefined;
  readonly #cleanups: (() => void)[] = [];
  /** Why the stream closed; for tests and diagnostics. */
  closeReason: 'abort' | 'timeout' | 'overflow' | 'server' | 'error' | 'finished' | 'consumer' | undefined;
  /** Set with #endAfterDrain: the reason the stream will close with once drained. */
  #drainedReason: 'error' | 'finished' = 'finished';

  constructor(options: WatchStreamOptions) {
    this.#o = options;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Live events waiting to be pulled. */
  get backlog(): number {
    return this.#queue.length - this.#queueHead;
  }

  /** Register something to undo when the stream closes (listener removal, timers). */
  onClose(cleanup: () => void): void {
    if (this.#closed) cleanup();
    else this.#cleanups.push(cleanup);
  }

  /**
   * Objects sent as synthetic ADDED before anything live, already limited to this watch's key
   * range; selectors are applied lazily while draining.
   */
  setInitial(objects: readonly KubeObject[], endBookmarkRv: number | undefined): void {
    this.#initial = objects;
    if (endBookmarkRv !== undefined)
      this.#queue.unshift({ t: 'bookmark', rv: endBookmarkRv, initialEnd: true });
  }

  #matches(obj: KubeObject | undefined): boolean {
    if (obj === undefined) return false;
    if (!this.#o.filtered) return true;
    return (
      this.#o.labelSelector.matches(obj.metadata?.labels as Record<string, string> | undefined) &&
      this.#o.fieldSelector.matches(obj)
    );
  }

  /**
   * Store listener: decide what this watcher sees of one committed change. `bounded` is false
   * only while replaying history at watch start, which may legitimately exceed the live bound.
   */
  offer(ev: StoreEvent, bounded = true): void {
    if (this.#closed || this.#endAfterDrain) return;
    if (ev.rv <= this.#o.minRv) return;
    if (this.#o.keyPrefix !== '' && !ev.key.startsWith(this.#o.keyPrefix)) return;
    let type: StoreEventType;
    let object = ev.object;
    if (ev.type === 'ADDED') {
      if (!this.#matches(ev.object)) return;
      type = 'ADDED';
    } else if (ev.type === 'DELETED') {
      if (!this.#matches(ev.prev)) return;
      type = 'DELETED';
    } else {
      const was = this.#matches(ev.prev);
      const is = this.#matches(ev.object);
      if (was && is) type = 'MODIFIED';
      else if (is) type = 'ADDED';
      else if (was) {
        // Stopped matching: DELETED carrying the previous content at this event's RV (cacheWatcher).
        type = 'DELETED';
        const prev = ev.prev as KubeObject;
        object = { ...prev, metadata: { ...prev.metadata, resourceVersion: String(ev.rv) } };
      } else return;
    }
    this.#push({ t: 'event', ev, type, object }, bounded);
  }

  bookmark(rv: number): void {
    if (this.#closed || this.#endAfterDrain) return;
    this.#push({ t: 'bookmark', rv, initialEnd: false });
  }

  /** Deliver what is already queued, then end the stream (the resource went away). */
  finish(): void {
    if (this.#closed) return;
    this.#endAfterDrain = true;
    this.#notify();
  }

  /** Send one ERROR event, then end the stream. */
  fail(status: Status): void {
    if (this.#closed) return;
    this.#queue.push({ t: 'error', status });
    this.#endAfterDrain = true;
    this.#drainedReason = 'error';
    this.#notify();
  }

  #push(p: Pending, bounded = true): void {
    this.#queue.push(p);
    if (bounded && this.#queue.length - this.#queueHead > this.#o.bufferLimit) {
      this.close('overflow');
      return;
    }
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    if (wake !== undefined) {
      this.#wake = undefined;
      wake();
    }
  }

  /** End the stream now; queued events are dropped (the client resumes from its last RV). */
  close(reason: NonNullable<WatchStream['closeReason']> = 'server'): void {
    if (this.#closed) return;
    this.#closed = true;
    this.closeReason = reason;
    this.#queue = [];
    this.#queueHead = 0;
    this.#initial = [];
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#notify();
  }

  #line(type: string, objectJson: string): string {
    return `{"type":"${type}","object":${objectJson}}\n`;
  }

  // Watch lines are serialised per event once (Pending.ev.line, shared by every watcher), not
  // through object-json.ts's per-object cache: at 5,000 updates/s that cache's WeakMap entries
  // (one per new object version, kept alive by the watch history) doubled the sim's retained
  // strings and pushed its watch lag p99 from ~0.5 s to ~1.3 s (npm run bench -- --only sim).
  #objectJson(obj: KubeObject): string {
    if (this.#o.encodeObject) return this.#o.encodeObject(obj);
    return JSON.stringify(
      obj.apiVersion === this.#o.apiVersion ? obj : { ...obj, apiVersion: this.#o.apiVersion },
    );
  }

  #encode(p: Pending): string {
    switch (p.t) {
      case 'event': {
        if (p.object !== p.ev.object || this.#o.encodeObject)
          return this.#line(p.type, this.#objectJson(p.object));
        if (p.type === p.ev.type && p.object.apiVersion === this.#o.apiVersion) {
          p.ev.line ??= this.#line(p.type, JSON.stringify(p.object));
          return p.ev.line;
        }
        const cacheKey = `${p.type}|${this.#o.apiVersion}`;
        p.ev.wire ??= new Map();
        let line = p.ev.wire.get(cacheKey);
        if (line === undefined) {
          line = this.#line(p.type, this.#objectJson(p.object));
          p.ev.wire.set(cacheKey, line);
        }
        return line;
      }
      case 'bookmark': {
        const metadata: Record<string, unknown> = { resourceVersion: String(p.rv) };
        if (p.initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
        return this.#line(
          'BOOKMARK',
          JSON.stringify({ kind: this.#o.kind, apiVersion: this.#o.apiVersion, metadata }),
        );
      }
      case 'error':
        return this.#line('ERROR', JSON.stringify(p.status));
    }
  }

  /** Up to one chunk of encoded events, or '' when nothing is ready. */
  #drain(): string {
    const max = this.#o.chunkEvents ?? DEFAULT_CHUNK_EVENTS;
    let out = '';
    let n = 0;
    while (n < max && this.#initialIndex < this.#initial.length) {
      const obj = this.#initial[this.#initialIndex++] as KubeObject;
      if (!this.#matches(obj)) continue;
      out += this.#line('ADDED', this.#objectJson(obj));
      n++;
    }
    if (this.#initialIndex < this.#initial.length) return out;
    if (this.#initial.length > 0) {
      // Initial state sent: let go of the snapshot array.
      this.#initial = [];
      this.#initialIndex = 0;
    }
    while (n < max && this.#queueHead < this.#queue.length) {
      out += this.#encode(this.#queue[this.#queueHead++] as Pending);
      n++;
    }
    if (this.#queueHead === this.#queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
    }
    return out;
  }

  async #next(): Promise<IteratorResult<string>> {
    for (;;) {
      if (this.#closed) return { done: true, value: undefined };
      let chunk: string;
      try {
        chunk = this.#drain();
      } catch (err) {
        // An object that cannot be encoded (e.g. a Table column that fails) ends this watch with
        // an ERROR event (WS-07), never an exception in the transport.
        this.close('error');
        return { done: false, value: this.#line('ERROR', JSON.stringify(internalError(String(err)).status)) };
      }
      if (chunk !== '') return { done: false, value: chunk };
      if (this.#endAfterDrain) {
        this.close(this.#drainedReason);
        continue;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    return {
      next: () => this.#next(),
      return: async () => {
        this.close('consumer');
        return { done: true, value: undefined };
      },
    };
  }
}
