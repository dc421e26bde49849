// TableInformer: the src/kube/cache Reflector driving a keyed row store, exposed to views as a
// LiveSource (rows, columns, status, one notification per animation frame). The Reflector owns
// list/watch/backoff/relist policy (R-01..R-33); this class is its store plus the UI-facing
// bits the Reflector does not have: per-frame change batches for highlights, and the 401/403 stop
// (style habit 7: never retry those on our own — the user presses retry, so no error storms).
import type { KubeObject } from '../kube/api/types.ts';
import { defaultIndexers, OWNER_UID_INDEX, ownerUIDIndexFunc } from '../kube/cache/index-funcs.ts';
import { Reflector, type ReflectorStatus } from '../kube/cache/reflector.ts';
import {
  type DeletedFinalStateUnknown,
  deletionHandlingMetaNamespaceKeyFunc,
  type ReflectorStore,
} from '../kube/cache/store.ts';
import { ThreadSafeStore } from '../kube/cache/thread-safe-store.ts';
import type { Clock } from '../kube/clock/clock.ts';
import { isForbidden, isUnauthorized } from '../kube/rest/status-error.ts';
import { FrameBatcher, type FrameScheduler } from './frame-batcher.ts';
import type { ChangeBatch, LiveSnapshot, LiveSource, SyncStatus } from './live-source.ts';
import { loadColumns, type RowCache, saveColumns } from './row-cache.ts';
import type { RowObject, TableColumnDefinition } from './server-table.ts';
import type { DeltaRecord, TableListerWatcher } from './table-lister-watcher.ts';

export interface TableInformerOptions {
  id: string;
  listerWatcher: TableListerWatcher;
  clock?: Clock;
  scheduleFrame?: FrameScheduler;
  random?: () => number;
  /** Warm start and write-behind (BR-08); absent: memory only. */
  cache?: RowCache;
  /** Reflector diagnostics; defaults to console.warn. */
  warn?: (message: string, error?: unknown) => void;
}

interface Pending {
  added: Set<string>;
  modified: Set<string>;
  deleted: Map<string, RowObject>;
  replaced: boolean;
}

export class TableInformer implements LiveSource, ReflectorStore<RowObject> {
  readonly id: string;
  readonly #opts: TableInformerOptions;
  readonly #lw: TableListerWatcher;
  readonly #batcher: FrameBatcher;
  readonly #listeners = new Set<(batch: ChangeBatch) => void>();
  // Invariant: written only by the Reflector (through the ReflectorStore methods), indexed by
  // namespace and owner UID (children of an object are one lookup); readers get
  // #snapshot.rows, rebuilt once per flush, so a render never sees a half-applied batch.
  readonly #items = new ThreadSafeStore<RowObject>({
    ...defaultIndexers(),
    [OWNER_UID_INDEX]: ownerUIDIndexFunc,
  });
  #pending: Pending = emptyPending();
  #reflector: Reflector<RowObject> | null = null;
  #controller: AbortController | null = null;
  #status: SyncStatus = {
    phase: 'listing',
    lastSyncRV: '',
    lastError: null,
    retryAt: null,
    fromCache: false,
  };
  #snapshot: LiveSnapshot = { version: 0, status: this.#status, columns: [], rows: [] };
  #offColumns: (() => void) | null = null;
  // Write-behind state: the next write must be a full replace; the RV last written.
  #needsFullWrite = true;
  #writtenRV = '';
  // Columns restored from the row cache, shown until the first list brings the server's.
  #cachedColumns: readonly TableColumnDefinition[] = [];

  constructor(opts: TableInformerOptions) {
    this.id = opts.id;
    this.#opts = opts;
    this.#lw = opts.listerWatcher;
    this.#batcher = new FrameBatcher(() => this.#flush(), opts.scheduleFrame);
  }

  // ---- LiveSource ----

  getSnapshot(): LiveSnapshot {
    return this.#snapshot;
  }

  get(key: string): RowObject | undefined {
    return this.#items.get(key);
  }

  childrenOf(ownerUID: string): RowObject[] {
    return this.#items.byIndex(OWNER_UID_INDEX, ownerUID);
  }

  subscribe(listener: (batch: ChangeBatch) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  tap(listener: (e: DeltaRecord) => void): () => void {
    return this.#lw.tap(listener);
  }

  retry(): void {
    if (!this.#controller) return;
    this.#runReflector(this.#reflector?.lastSyncResourceVersion() ?? '');
  }

  start(): void {
    if (this.#controller) return;
    this.#offColumns = this.#lw.onColumns(() => {
      if (this.#opts.cache) saveColumns(this.#opts.cache, this.#lw.columns());
      this.#batcher.notify();
    });
    const cache = this.#opts.cache;
    if (!cache) {
      this.#runReflector('');
      return;
    }
    // Hold the slot so a second start() is a no-op while the snapshot loads.
    const loading = new AbortController();
    this.#controller = loading;
    void this.#warmStart(cache).then((rv) => {
      if (this.#controller === loading) this.#runReflector(rv);
    });
  }

  /**
   * BR-08: fill the store from the snapshot and mark it stale; the Reflector then lists "not older
   * than" the snapshot's RV, and its Replace turns whatever vanished meanwhile into deletions.
   * Best effort: any failure means a cold start.
   */
  async #warmStart(cache: RowCache): Promise<string> {
    try {
      const snapshot = await cache.persistence.load<RowObject>(cache.key);
      if (!snapshot || this.#items.size > 0) return '';
      const rows = snapshot.items.filter(
        (r) => Array.isArray(r?.cells) && typeof r.metadata?.name === 'string',
      );
      this.#cachedColumns = loadColumns(cache);
      this.replace(rows, snapshot.resourceVersion);
      this.#setStatus({ phase: 'listing', lastSyncRV: snapshot.resourceVersion, fromCache: true });
      return snapshot.resourceVersion;
    } catch {
      return '';
    }
  }

  stop(): void {
    this.#controller?.abort();
    this.#controller = null;
    this.#reflector = null;
    this.#offColumns?.();
    this.#batcher.cancel();
    this.#setStatus({ phase: 'stopped', retryAt: null });
    this.#flush();
  }

  /** A Reflector runs once (run() may be called once), so a retry starts a new one from lastSyncRV. */
  #runReflector(initialResourceVersion: string): void {
    this.#controller?.abort();
    this.#needsFullWrite = true;
    const controller = new AbortController();
    this.#controller = controller;
    const reflector = new Reflector<RowObject>(this.#lw, this, {
      name: this.id,
      clock: this.#opts.clock,
      random: this.#opts.random,
      warn: this.#opts.warn,
      initialResourceVersion,
      // Table watches may not carry the initial-events-end bookmark annotation on every server,
      // so Table informers use the classic paged list + watch (R-05..R-18).
      useWatchList: false,
      watchErrorHandler: () => {},
    });
    this.#reflector = reflector;
    reflector.subscribeStatus((status) => {
      if (this.#reflector === reflector) this.#onReflectorStatus(status);
    });
    this.#setStatus({ phase: 'listing', lastError: null, retryAt: null });
    void reflector.run(controller.signal);
  }

  #onReflectorStatus(status: ReflectorStatus): void {
    const err = rootCause(status.lastError);
    const outer = status.lastError;
    const message = outer === undefined ? null : outer instanceof Error ? outer.message : String(outer);
    if (isForbidden(err) || isUnauthorized(err)) {
      // Stop this reflector; the rows stay as last known. retry() starts a new one.
      this.#controller?.abort();
      this.#setStatus({
        phase: isForbidden(err) ? 'forbidden' : 'unauthorized',
        lastError: message,
        retryAt: null,
      });
      return;
    }
    if (status.phase === 'backoff') {
      this.#setStatus({ phase: 'reconnecting', lastError: message, retryAt: status.retryAt ?? null });
    } else if (status.phase === 'watching') {
      this.#setStatus({ phase: 'synced', lastError: null, retryAt: null, fromCache: false });
    } else if (status.phase === 'listing') {
      this.#setStatus({ phase: this.#status.phase === 'synced' ? 'synced' : 'listing', retryAt: null });
    }
  }

  // ---- ReflectorStore (written by the Reflector only) ----

  add(obj: RowObject): void {
    this.#upsert(obj);
  }

  update(obj: RowObject): void {
    this.#upsert(obj);
  }

  delete(obj: RowObject | DeletedFinalStateUnknown<RowObject>): void {
    const key = keyOf(obj);
    if (key === undefined) return;
    const last = this.#items.get(key);
    if (!last) return;
    this.#items.delete(key);
    const p = this.#pending;
    // Appeared and vanished within one frame: nothing to show.
    if (!p.added.delete(key)) {
      p.modified.delete(key);
      p.deleted.set(key, last);
    }
    this.#batcher.notify();
  }

  /** A relist: swap in a new map (style habit 6) and report the difference as one batch. */
  replace(items: RowObject[], _resourceVersion: string): void {
    const next = new Map<string, RowObject>();
    for (const row of items) {
      const key = keyOf(row);
      if (key !== undefined) next.set(key, row);
    }
    // The diff is computed against the old contents before the store swaps them (IX-08).
    const p = this.#pending;
    for (const [key, row] of next) {
      const old = this.#items.get(key);
      if (!old) p.added.add(key);
      else if (old.metadata.resourceVersion !== row.metadata.resourceVersion) p.modified.add(key);
    }
    for (const [key, row] of this.#items.entries()) if (!next.has(key)) p.deleted.set(key, row);
    p.replaced = true;
    this.#items.replace(next);
    this.#batcher.notify();
  }

  resync(): void {}

  bookmark(_resourceVersion: string): void {
    this.#batcher.notify(); // lastSyncRV moved; the indicator shows it on the next frame
  }

  #upsert(obj: RowObject): void {
    const key = keyOf(obj);
    if (key === undefined) return;
    const existed = this.#items.has(key);
    this.#items.update(key, obj);
    const p = this.#pending;
    if (!existed && !p.deleted.delete(key)) p.added.add(key);
    else if (!p.added.has(key)) p.modified.add(key);
    this.#batcher.notify();
  }

  #setStatus(patch: Partial<SyncStatus>): void {
    this.#status = { ...this.#status, ...patch };
    this.#batcher.notify();
  }

  #flush(): void {
    const p = this.#pending;
    this.#pending = emptyPending();
    const live = this.#reflector?.hasSynced() === true;
    const rv = live ? (this.#reflector?.lastSyncResourceVersion() ?? '') : this.#status.lastSyncRV;
    if (rv !== this.#status.lastSyncRV) this.#status = { ...this.#status, lastSyncRV: rv };
    if (live && this.#status.fromCache) this.#status = { ...this.#status, fromCache: false };
    const rowsChanged = p.replaced || p.added.size + p.modified.size + p.deleted.size > 0;
    this.#snapshot = {
      version: this.#snapshot.version + 1,
      status: this.#status,
      columns: this.#lw.columns().length > 0 ? this.#lw.columns() : this.#cachedColumns,
      rows: rowsChanged ? this.#items.list() : this.#snapshot.rows,
    };
    const batch: ChangeBatch = {
      added: [...p.added],
      modified: [...p.modified],
      deleted: p.deleted,
      replaced: p.replaced,
    };
    if (live && rv !== '') this.#writeBehind(batch, rv);
    for (const l of this.#listeners) l(batch);
  }

  /**
   * BR-08 write-behind, once per frame batch. The first write after a (re)start is the whole
   * store (replace), so the snapshot never mixes a stale base with live deltas; later writes carry
   * only the batch. Nothing is written while the rows are still the restored snapshot.
   */
  #writeBehind(batch: ChangeBatch, rv: string): void {
    const cache = this.#opts.cache;
    if (!cache) return;
    const full = this.#needsFullWrite || batch.replaced;
    const upserts = full
      ? this.#items.list()
      : [...batch.added, ...batch.modified].flatMap((k) => this.#items.get(k) ?? []);
    const deletes = full ? [] : [...batch.deleted.keys()];
    if (!full && upserts.length === 0 && deletes.length === 0 && rv === this.#writtenRV) return;
    this.#needsFullWrite = false;
    this.#writtenRV = rv;
    // The persistence never rejects for storage trouble; anything else is not worth a render error.
    cache.persistence
      .write(cache.key, { resourceVersion: rv, upserts, deletes, replace: full })
      .catch(() => {});
  }
}

function emptyPending(): Pending {
  return { added: new Set(), modified: new Set(), deleted: new Map(), replaced: false };
}

function keyOf(obj: KubeObject | DeletedFinalStateUnknown): string | undefined {
  try {
    return deletionHandlingMetaNamespaceKeyFunc(obj);
  } catch {
    return undefined; // a row without a name cannot be keyed; it is skipped, not fatal
  }
}

/** The Reflector wraps list failures (ReflectorError with a cause); policy looks at the innermost error. */
function rootCause(err: unknown): unknown {
  let e = err;
  for (let i = 0; i < 5 && e instanceof Error && e.cause !== undefined; i++) e = e.cause;
  return e;
}
