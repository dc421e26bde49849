// InformerLiveSource: a LiveSource (what views read) over the port's SharedIndexInformer, handed
// out by the app's one DynamicSharedInformerFactory. The informer owns list/watch/backoff/relist,
// the owner-UID index, warm start and write-behind (BR-08); this adapter adds only what views need
// on top:
//
// - one snapshot + one ChangeBatch per animation frame. The informer's batched `subscribe` gives
//   the changed keys; a previous-version map (key → last published row) tells ADDED, MODIFIED and
//   DELETED apart in O(1) per key and keeps the last state of deleted rows for their fade;
// - the UI sync status (listing / synced / reconnecting / forbidden / unauthorized / stopped);
// - the 401/403 stop (style habit 7): the factory stops the informer at once, so there is no
//   retry storm; retry() asks the factory for a fresh informer, seeded with the old cache.
//
// Invariant: #published holds exactly the rows of the last published snapshot, by key; it is only
// written in #flush (and reset on attach), so a ChangeBatch always describes the difference between
// two consecutive snapshots.

import { OWNER_UID_INDEX } from '../kube/cache/index-funcs.ts';
import type { ReflectorStatus } from '../kube/cache/reflector.ts';
import type { SharedIndexInformer } from '../kube/cache/shared-informer.ts';
import type { InformerKey } from '../kube/cache/shared-informer-factory.ts';
import { isForbidden, isNotFound, isUnauthorized } from '../kube/rest/status-error.ts';
import { animationFrameScheduler, FrameBatcher, type FrameScheduler } from './frame-batcher.ts';
import type { ChangeBatch, LiveSnapshot, LiveSource, SyncPhase, SyncStatus } from './live-source.ts';
import type { RowObject, TableColumnDefinition } from './server-table.ts';
import { rootCause, syncReason } from './sync-reason.ts';
import type { DeltaRecord, TableListerWatcher } from './table-lister-watcher.ts';

/** The part of the factory a source needs (the factory itself, or a fake in tests). */
export interface InformerProvider {
  informerFor(key: InformerKey): SharedIndexInformer;
  stopInformer(key: InformerKey): void;
}

export interface InformerLiveSourceOptions {
  id: string;
  key: InformerKey;
  factory: InformerProvider;
  /** The key's ListerWatcher, the one the factory's informers use: columns and raw events come from it. */
  listerWatcher: TableListerWatcher;
  scheduleFrame?: FrameScheduler;
  /** Columns remembered from an earlier session, shown until the first list brings the server's. */
  cachedColumns?: () => readonly TableColumnDefinition[];
  /** Called once per failure whose cause is a 404 (the resource is no longer served). */
  onNotFound?: (error: unknown) => void;
  /** Called when the server's columns change, to remember them. */
  saveColumns?: (columns: readonly TableColumnDefinition[]) => void;
}

interface Pending {
  keys: Set<string>;
  replaced: boolean;
}

export class InformerLiveSource implements LiveSource {
  readonly id: string;
  readonly #opts: InformerLiveSourceOptions;
  readonly #batcher: FrameBatcher;
  readonly #listeners = new Set<(batch: ChangeBatch) => void>();
  #informer: SharedIndexInformer | null = null;
  /** Unsubscribes from the current informer; empty while detached. */
  #detach: (() => void)[] = [];
  #published = new Map<string, RowObject>();
  #pending: Pending = { keys: new Set(), replaced: false };
  #wasSynced = false;
  /** Set by a 401/403 until retry(); the informer is stopped meanwhile. */
  #denied: 'forbidden' | 'unauthorized' | null = null;
  /** The last 404 passed to onNotFound, so one failure is reported once, not on every status. */
  #reportedNotFound: unknown;
  /** What the reflector says; the published phase also waits for the synced batch (#flush). */
  #phase: SyncPhase = 'listing';
  #reflectorStatus: ReflectorStatus = { phase: 'listing', lastSyncRV: '' };
  #status: SyncStatus = {
    phase: 'listing',
    lastSyncRV: '',
    lastError: null,
    retryAt: null,
    fromCache: false,
  };
  #snapshot: LiveSnapshot;
  /** The published rows as an array, built lazily; null after any change. */
  #rows: readonly RowObject[] | null = [];

  constructor(opts: InformerLiveSourceOptions) {
    this.id = opts.id;
    this.#opts = opts;
    this.#batcher = new FrameBatcher(() => this.#flush(), opts.scheduleFrame ?? animationFrameScheduler);
    this.#snapshot = { version: 0, status: this.#status, columns: this.#columns(), count: 0, rows: [] };
  }

  // ---- LiveSource ----

  getSnapshot(): LiveSnapshot {
    return this.#snapshot;
  }

  get(key: string): RowObject | undefined {
    return this.#published.get(key);
  }

  childrenOf(ownerUID: string): RowObject[] {
    const indexer = this.#informer?.getIndexer();
    if (!indexer || !(OWNER_UID_INDEX in indexer.getIndexers())) return [];
    return indexer.byIndex(OWNER_UID_INDEX, ownerUID) as RowObject[];
  }

  subscribe(listener: (batch: ChangeBatch) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  lastWatchActivity(): number | undefined {
    return this.#informer?.lastWatchActivity();
  }

  tap(listener: (e: DeltaRecord) => void): () => void {
    return this.#opts.listerWatcher.tap(listener);
  }

  /** A user retry: after a 401/403 a fresh informer; otherwise cut the backoff short (BR-06). */
  retry(): void {
    if (this.#detach.length === 0) return;
    if (this.#denied || this.#informer?.isStopped()) {
      this.#denied = null;
      this.#opts.factory.stopInformer(this.#opts.key);
      this.#unsubscribe();
      this.attach();
      return;
    }
    this.#informer?.retryNow();
  }

  // ---- lifecycle (driven by the registry's reference count) ----

  /** Start consuming the key's informer (the factory starts it, or hands out the running one). */
  attach(): void {
    if (this.#detach.length > 0) return;
    const informer = this.#opts.factory.informerFor(this.#opts.key);
    this.#informer = informer;
    this.#denied = null;
    this.#wasSynced = informer.hasSynced();
    this.#reflectorStatus = informer.status();
    this.#detach = [
      informer.subscribe((batch) => {
        for (const key of batch.keys) this.#pending.keys.add(key);
        // A first sync (after start or a relist from scratch) replaced the collection.
        if (batch.synced && !this.#wasSynced) this.#pending.replaced = true;
        this.#wasSynced = batch.synced;
        this.#batcher.notify();
      }),
      informer.subscribeStatus((status) => this.#onStatus(status)),
      this.#opts.listerWatcher.onColumns(() => {
        this.#opts.saveColumns?.(this.#opts.listerWatcher.columns());
        this.#batcher.notify();
      }),
    ];
    // The informer may already hold rows (shared with another view, or seeded from a stopped
    // predecessor) that no batch will announce: diff them against what was published, once.
    for (const key of informer.getIndexer().listKeys()) this.#pending.keys.add(key);
    for (const key of this.#published.keys()) this.#pending.keys.add(key);
    this.#pending.replaced = true;
    this.#phase = 'listing';
    this.#status = { ...this.#status, lastError: null, retryAt: null };
    this.#onStatus(this.#reflectorStatus);
    this.#batcher.notify();
  }

  /** Stop consuming; the factory stops the informer after its idle grace if nobody else uses it. */
  detach(): void {
    this.#unsubscribe();
    this.#batcher.cancel();
    this.#phase = 'stopped';
    this.#status = { ...this.#status, retryAt: null };
    this.#flush();
  }

  #unsubscribe(): void {
    for (const off of this.#detach) off();
    this.#detach = [];
  }

  #onStatus(status: ReflectorStatus): void {
    this.#reflectorStatus = status;
    const err = rootCause(status.lastError);
    const raw =
      status.lastError === undefined
        ? null
        : status.lastError instanceof Error
          ? status.lastError.message
          : String(status.lastError);
    // The human reason first ("rate limited (429): …"), so every view showing lastError says why.
    const reason = syncReason(status.lastError);
    const message = raw === null ? null : reason === null ? raw : `${reason}: ${raw}`;
    if (this.#denied) return; // stopped on purpose; only retry() changes that
    if (isNotFound(err) && status.lastError !== this.#reportedNotFound) {
      this.#reportedNotFound = status.lastError;
      this.#opts.onNotFound?.(err);
    }
    if (isForbidden(err) || isUnauthorized(err)) {
      this.#denied = isForbidden(err) ? 'forbidden' : 'unauthorized';
      this.#phase = this.#denied;
      this.#status = { ...this.#status, lastError: message, reason, retryAt: null };
      // Rows stay as last known; the informer stops now instead of backing off and asking again.
      this.#opts.factory.stopInformer(this.#opts.key);
    } else if (status.phase === 'backoff') {
      this.#phase = 'reconnecting';
      this.#status = { ...this.#status, lastError: message, reason, retryAt: status.retryAt ?? null };
    } else if (status.phase === 'watching') {
      this.#phase = 'synced';
      this.#status = { ...this.#status, lastError: null, reason: null, retryAt: null };
    } else if (status.phase === 'listing') {
      // A relist of a synced informer keeps showing its rows as synced.
      if (this.#phase !== 'synced') this.#phase = 'listing';
      this.#status = { ...this.#status, retryAt: null };
    } else if (status.phase === 'stopped' && this.#detach.length === 0) {
      this.#phase = 'stopped';
      this.#status = { ...this.#status, retryAt: null };
    }
    this.#batcher.notify();
  }

  #rowsArray(): readonly RowObject[] {
    this.#rows ??= Array.from(this.#published.values());
    return this.#rows;
  }

  #columns(): readonly TableColumnDefinition[] {
    const live = this.#opts.listerWatcher.columns();
    return live.length > 0 ? live : (this.#opts.cachedColumns?.() ?? []);
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = { keys: new Set(), replaced: false };
    const informer = this.#informer;
    const indexer = informer?.getIndexer();
    const added: string[] = [];
    const modified: string[] = [];
    const deleted = new Map<string, RowObject>();
    // O(1) per changed key: the indexer's current row against the last published one.
    for (const key of pending.keys) {
      const now = indexer?.getByKey(key) as RowObject | undefined;
      const before = this.#published.get(key);
      if (now && !before) added.push(key);
      else if (!now && before) deleted.set(key, before);
      else if (now && before && now !== before) modified.push(key);
      if (now) this.#published.set(key, now);
      else this.#published.delete(key);
    }
    // Synced only once a batch said so: that batch carried every key of the initial list, so the
    // view never shows "synced" over rows it has not received yet.
    const synced = this.#wasSynced;
    const rv = informer?.lastSyncResourceVersion() ?? '';
    this.#status = {
      ...this.#status,
      phase: this.#phase === 'synced' && !synced ? 'listing' : this.#phase,
      lastSyncRV: rv !== '' ? rv : this.#status.lastSyncRV,
      // BR-08: rows restored from storage (or a predecessor) are stale until a live list lands.
      fromCache: !synced && this.#published.size > 0,
    };
    if (added.length + modified.length + deleted.size > 0 || pending.replaced) this.#rows = null;
    const source = this;
    this.#snapshot = {
      version: this.#snapshot.version + 1,
      status: this.#status,
      columns: this.#columns(),
      count: this.#published.size,
      // Built on first read only: a view that keeps its own order (the table's OrderedRowIndex)
      // never pays O(rows) per frame for an array it does not use.
      get rows() {
        return source.#rowsArray();
      },
    };
    const batch: ChangeBatch = { added, modified, deleted, replaced: pending.replaced };
    for (const listener of this.#listeners) listener(batch);
  }
}
