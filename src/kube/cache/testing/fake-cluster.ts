// A fake apiserver for one resource, behind the ListerWatcher interface: objects with
// resourceVersions, an event history that can be compacted (410), paged lists with continue
// tokens, watches from an RV with bookmarks and sendInitialEvents, and fault injection. Tests of
// the Reflector and the informers run against it without a network. RVs are numbers *inside* the
// fake (it is the server); the client only ever sees strings.
import type { KubeList, KubeObject, Status, WatchEvent } from '../../api/types.ts';
import { StatusError } from '../../rest/status-error.ts';
import type { ListerWatcher, ListOptions, Watch } from '../lister-watcher.ts';

interface HistoryEntry {
  rv: number;
  event: WatchEvent;
}

export function expiredStatus(message = 'too old resource version'): Status {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired', message };
}

export function statusError(code: number, reason: string, extra: Partial<Status> = {}): StatusError {
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason,
    message: reason,
    ...extra,
  });
}

export function tooLargeError(): StatusError {
  return statusError(504, 'Timeout', {
    message: 'Too large resource version',
    details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }] },
  });
}

/** An open watch: a queue of events the iterator drains; ends on stop(), abort or end(). */
export class FakeWatch implements Watch {
  #queue: WatchEvent[] = [];
  /** #queue[#head..] are undelivered (an index, not shift(), keeps long queues linear). */
  #head = 0;
  #ended = false;
  #error: unknown;
  #wake: (() => void) | undefined;
  stopped = false;

  constructor(signal: AbortSignal) {
    if (signal.aborted) this.end();
    signal.addEventListener('abort', () => this.end(), { once: true });
  }

  push(event: WatchEvent): void {
    if (this.#ended) return;
    this.#queue.push(event);
    this.#notify();
  }

  /** End the body cleanly (WS-06), or with a transport error. */
  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#notify();
  }

  get ended(): boolean {
    return this.#ended;
  }

  stop(): void {
    this.stopped = true;
    this.#queue = [];
    this.#head = 0;
    this.end();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    for (;;) {
      if (this.#head < this.#queue.length) {
        const next = this.#queue[this.#head]!;
        this.#head++;
        if (this.#head === this.#queue.length) {
          this.#queue = [];
          this.#head = 0;
        }
        yield next;
        continue;
      }
      if (this.#ended) {
        if (this.#error !== undefined) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }
}

export interface FakeClusterOptions {
  /** Answer sendInitialEvents watches with initial events + bookmark (default true). */
  supportsWatchList?: boolean;
}

export class FakeCluster implements ListerWatcher {
  #rv = 1;
  #compactedRV = 0;
  #objects = new Map<string, KubeObject>();
  #history: HistoryEntry[] = [];
  #snapshots = new Map<string, KubeObject[]>();
  readonly watches: { watch: FakeWatch; options: ListOptions; startRV: number }[] = [];
  readonly listCalls: ListOptions[] = [];
  readonly watchCalls: ListOptions[] = [];
  /** While true, watch requests never get an answer (no headers) until aborted. */
  holdWatchStarts = false;
  /** Each list call takes (and throws) the first of these, if any. */
  readonly listFailures: unknown[] = [];
  /** Each watch call takes (and rejects with) the first of these, if any. */
  readonly watchFailures: unknown[] = [];
  supportsWatchList: boolean;

  constructor(options: FakeClusterOptions = {}) {
    this.supportsWatchList = options.supportsWatchList ?? true;
  }

  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** What a correct cache must equal: key -> resourceVersion. */
  state(): Map<string, string> {
    return new Map(Array.from(this.#objects, ([k, o]) => [k, o.metadata?.resourceVersion ?? '']));
  }

  upsert(namespace: string, name: string, fields: Partial<KubeObject> = {}): KubeObject {
    const key = `${namespace}/${name}`;
    const existed = this.#objects.has(key);
    const rv = ++this.#rv;
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      ...fields,
      metadata: {
        namespace,
        name,
        uid: `uid-${key}`,
        ...(fields.metadata ?? {}),
        resourceVersion: String(rv),
      },
    };
    this.#objects.set(key, obj);
    this.#record(rv, { type: existed ? 'MODIFIED' : 'ADDED', object: obj });
    return obj;
  }

  remove(namespace: string, name: string): boolean {
    const key = `${namespace}/${name}`;
    const old = this.#objects.get(key);
    if (!old) return false;
    const rv = ++this.#rv;
    this.#objects.delete(key);
    this.#record(rv, {
      type: 'DELETED',
      object: { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } },
    });
    return true;
  }

  /** Forget history: watches or exact lists from older RVs now get 410. */
  compact(): void {
    this.#compactedRV = this.#rv;
    this.#history = [];
    this.#snapshots.clear();
  }

  /** The server came back from a backup: RVs restart lower, history is gone. */
  restartWithSmallerRV(rv: number): void {
    this.#rv = rv;
    this.#compactedRV = rv;
    this.#history = [];
    this.#snapshots.clear();
    for (const w of this.watches) w.watch.end();
  }

  bookmark(): void {
    for (const w of this.#liveWatches()) {
      if (w.options.allowWatchBookmarks) {
        w.watch.push({
          type: 'BOOKMARK',
          object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: String(this.#rv) } },
        });
      }
    }
  }

  /** End every open watch cleanly (the server timeout, or a dropped connection: WS-06). */
  closeWatches(): void {
    for (const w of this.#liveWatches()) w.watch.end();
  }

  /** Send an ERROR event on every open watch (WS-07). */
  errorWatches(status: Status): void {
    for (const w of this.#liveWatches()) w.watch.push({ type: 'ERROR', object: status });
  }

  openWatchCount(): number {
    return this.#liveWatches().length;
  }

  async list(options: ListOptions, signal: AbortSignal): Promise<KubeList> {
    this.listCalls.push({ ...options });
    await Promise.resolve();
    if (signal.aborted) throw signal.reason;
    const failure = this.listFailures.shift();
    if (failure !== undefined) throw failure;
    if (options.continue) {
      const [id, offsetText] = options.continue.split(':');
      const snapshot = this.#snapshots.get(id ?? '');
      if (!snapshot) throw new StatusError(expiredStatus('continue token expired'));
      return this.#page(snapshot, Number(offsetText), options.limit, id!);
    }
    const rvText = options.resourceVersion;
    if (rvText !== undefined && rvText !== '' && rvText !== '0') {
      const rv = Number(rvText);
      if (rv > this.#rv) throw tooLargeError();
      // limit + RV = exact semantics: compacted history makes it 410 (PG table).
      if (options.limit && rv < this.#compactedRV) throw new StatusError(expiredStatus());
    }
    const items = this.#sortedItems();
    const id = `s${this.#rv}-${this.listCalls.length}`;
    this.#snapshots.set(id, items);
    return this.#page(items, 0, options.limit, id);
  }

  async watch(options: ListOptions, signal: AbortSignal): Promise<Watch> {
    this.watchCalls.push({ ...options });
    await Promise.resolve();
    if (this.holdWatchStarts) {
      // A black hole: the request is never answered; only an abort ends it.
      await new Promise<void>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    if (signal.aborted) throw signal.reason;
    const failure = this.watchFailures.shift();
    if (failure !== undefined) throw failure;
    if (options.sendInitialEvents && !this.supportsWatchList) throw statusError(400, 'BadRequest');
    const watch = new FakeWatch(signal);
    const rvText = options.resourceVersion ?? '';
    const initial = options.sendInitialEvents || rvText === '' || rvText === '0';
    if (rvText !== '' && rvText !== '0' && Number(rvText) > this.#rv) throw tooLargeError();
    let startRV = initial ? this.#rv : Number(rvText);
    if (initial) {
      for (const obj of this.#sortedItems()) watch.push({ type: 'ADDED', object: obj });
      if (options.sendInitialEvents) {
        watch.push({
          type: 'BOOKMARK',
          object: {
            kind: 'Pod',
            apiVersion: 'v1',
            metadata: {
              resourceVersion: String(this.#rv),
              annotations: { 'k8s.io/initial-events-end': 'true' },
            },
          },
        });
      }
    } else if (startRV < this.#compactedRV) {
      watch.push({ type: 'ERROR', object: expiredStatus() });
      watch.end();
      startRV = this.#rv;
    } else {
      for (const h of this.#history) if (h.rv > startRV) watch.push(h.event);
    }
    this.watches.push({ watch, options: { ...options }, startRV });
    return watch;
  }

  #liveWatches() {
    return this.watches.filter((w) => !w.watch.ended);
  }

  #record(rv: number, event: WatchEvent): void {
    this.#history.push({ rv, event });
    for (const w of this.#liveWatches()) w.watch.push(event);
  }

  #sortedItems(): KubeObject[] {
    return Array.from(this.#objects.keys())
      .sort()
      .map((k) => this.#objects.get(k)!);
  }

  #page(items: KubeObject[], offset: number, limit: number | undefined, id: string): KubeList {
    const end = limit ? Math.min(items.length, offset + limit) : items.length;
    const list: KubeList = {
      apiVersion: 'v1',
      kind: 'PodList',
      metadata: { resourceVersion: id.slice(1).split('-')[0]! },
      items: items.slice(offset, end),
    };
    if (end < items.length) list.metadata.continue = `${id}:${end}`;
    return list;
  }
}
