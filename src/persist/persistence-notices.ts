// What the user should know about local persistence, said once per page: the browser gives the
// app no IndexedDB (private mode, storage disabled), or the storage is full and caches are kept in
// memory only. Warnings for developers still go to the console; these are the few facts worth a
// line in the UI, because they change what a reload will look like (no warm start).
//
// Invariant: at most one notice per kind, in the order first reported; a repeated report of a
// kind is ignored (persistence may hit the same wall on every write). Readers get the same array
// until something new is reported, so it can back useSyncExternalStore directly.

export type PersistenceNoticeKind =
  /** IndexedDB cannot be opened at all: nothing is saved between sessions. */
  | 'unavailable'
  /** Storage quota reached and eviction did not help: caches live in memory for this session. */
  | 'memory-only';

export interface PersistenceNotice {
  kind: PersistenceNoticeKind;
  /** One sentence for the UI, without error details (those went to the console). */
  message: string;
}

export class PersistenceNotices {
  #notices: readonly PersistenceNotice[] = [];
  readonly #listeners = new Set<() => void>();

  /** Record a notice unless one of its kind was already recorded. */
  report(kind: PersistenceNoticeKind, message: string): void {
    if (this.#notices.some((n) => n.kind === kind)) return;
    this.#notices = [...this.#notices, { kind, message }];
    for (const fn of this.#listeners) fn();
  }

  getSnapshot = (): readonly PersistenceNotice[] => this.#notices;

  subscribe = (fn: () => void): (() => void) => {
    this.#listeners.add(fn);
    return () => {
      this.#listeners.delete(fn);
    };
  };
}

export const UNAVAILABLE_MESSAGE =
  'This browser gives kubeglass no local storage (private window or storage disabled): views load live from the cluster, and a reload starts empty.';
export const MEMORY_ONLY_MESSAGE =
  'Browser storage is full: older saved views were removed and saving is off for this session. Live views are unaffected.';
