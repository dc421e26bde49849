// What a live view reads: a keyed collection of rows, its columns and its sync status, with a
// change notification batched per animation frame. The UI depends on this interface only, so the
// data behind it (src/kube/cache's SharedIndexInformer from the app's one factory, adapted by
// informer-live-source.ts) can change without touching a component.
import type { RowObject, TableColumnDefinition } from './server-table.ts';
import type { DeltaRecord } from './table-lister-watcher.ts';

export type SyncPhase =
  /** First list in flight, nothing to show yet (or only a warm-start copy, see fromCache). */
  | 'listing'
  /** Listed and watching; lastSyncRV is current. */
  | 'synced'
  /** The last list or watch failed; retrying at retryAt. Rows are the last known state. */
  | 'reconnecting'
  /** 403 on list: the user may not list this resource. Not retried automatically (no error storms). */
  | 'forbidden'
  /** 401: the credentials expired or were rejected. Not retried automatically. */
  | 'unauthorized'
  /** Stopped. */
  | 'stopped';

export interface SyncStatus {
  phase: SyncPhase;
  /** Opaque; for display only (BR-11). "" before the first list. */
  lastSyncRV: string;
  /** The last error's message, prefixed with its human reason when known ("rate limited (429): …"). */
  lastError: string | null;
  /**
   * Why the view is not synced, in words (sync-reason.ts): "resourceVersion expired (410),
   * relisting", "rate limited (429)", "cluster unreachable (502)", "proxy unreachable"… null or
   * absent when there is nothing to tell.
   */
  reason?: string | null;
  /** ms since epoch of the next attempt while reconnecting. */
  retryAt: number | null;
  /** True while the rows come from a warm-start snapshot and no live list has been applied (BR-08). */
  fromCache: boolean;
}

/** What changed since the previous notification. Deleted rows carry their last known state (for the fade). */
export interface ChangeBatch {
  added: readonly string[];
  modified: readonly string[];
  deleted: ReadonlyMap<string, RowObject>;
  /** True when a relist replaced the collection. */
  replaced: boolean;
}

export interface LiveSnapshot {
  /** Increases with every batch: the useSyncExternalStore snapshot identity. */
  version: number;
  status: SyncStatus;
  columns: readonly TableColumnDefinition[];
  /** How many rows (O(1), unlike building rows). */
  count: number;
  /**
   * The rows; the same array until the next batch. Read-only. May be built on first read, and
   * reading it on an older snapshot gives the current rows.
   */
  readonly rows: readonly RowObject[];
}

export interface LiveSource {
  readonly id: string;
  getSnapshot(): LiveSnapshot;
  get(key: string): RowObject | undefined;
  /** Rows whose metadata.ownerReferences name this UID (the owner-UID index). */
  childrenOf(ownerUID: string): RowObject[];
  subscribe(listener: (batch: ChangeBatch) => void): () => void;
  /** Raw watch events, unbatched (the delta log batches its own rendering). */
  tap(listener: (e: DeltaRecord) => void): () => void;
  /** Ask for an immediate new attempt (after forbidden, unauthorized or during a backoff). */
  retry(): void;
  /** When the view's watch last delivered an event (ms since epoch); undefined while none is open. */
  lastWatchActivity(): number | undefined;
}
