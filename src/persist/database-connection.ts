// One lazily opened IndexedDB connection that degrades to "no persistence" instead of failing.
// Shared by the informer cache and the discovery cache: both are warm-start optimisations, so any
// problem opening the database (see open-database.ts) is one warning, never an error for the app.
import { type Clock, realClock, type TimerHandle } from '../kube/clock/clock.ts';
import { describeError, openDatabase } from './open-database.ts';
import { type PersistenceNotices, UNAVAILABLE_MESSAGE } from './persistence-notices.ts';

export interface DatabaseConnectionOptions {
  /** undefined (no IndexedDB in this environment) disables persistence. */
  factory: IDBFactory | undefined;
  name: string;
  version: number;
  upgrade(db: IDBDatabase, oldVersion: number): void;
  /** What is persisted, for warnings ("informer caches", "discovery"). */
  purpose: string;
  warn: (message: string, error?: unknown) => void;
  clock?: Clock;
  /**
   * Give up opening after this long (default 10 s) and run without persistence: an open waits for
   * as long as another tab holds an older version open and never closes it.
   */
  openTimeoutMs?: number;
  /** Told (once) when the database cannot be opened, for the UI. */
  notices?: PersistenceNotices;
}

export const DEFAULT_OPEN_TIMEOUT_MS = 10_000;

export class DatabaseConnection {
  readonly #options: DatabaseConnectionOptions;
  readonly #clock: Clock;
  // Opened on first use; resolves to undefined once persistence is disabled (for good).
  #db: Promise<IDBDatabase | undefined> | undefined;
  #warned = false;

  constructor(options: DatabaseConnectionOptions) {
    this.#options = options;
    this.#clock = options.clock ?? realClock;
  }

  /** The open connection, or undefined when persistence is unavailable. Never rejects. */
  get(): Promise<IDBDatabase | undefined> {
    this.#db ??= this.#open();
    return this.#db;
  }

  /** Close the connection; get() resolves to undefined from now on. */
  async close(): Promise<void> {
    const db = await this.#db;
    this.#db = Promise.resolve(undefined);
    db?.close();
  }

  async #open(): Promise<IDBDatabase | undefined> {
    const { factory, name, version, upgrade } = this.#options;
    if (!factory) return this.#disable('no indexedDB in this environment');
    const timeoutMs = this.#options.openTimeoutMs ?? DEFAULT_OPEN_TIMEOUT_MS;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = this.#clock.setTimer(() => resolve('timeout'), timeoutMs);
    });
    const opening = openDatabase({
      factory,
      name,
      version,
      upgrade,
      onLost: (reason) => {
        this.#db = Promise.resolve(undefined);
        this.#warnOnce(`kubeglass: saving ${this.#options.purpose} stopped: ${reason}`);
      },
    });
    try {
      const result = await Promise.race([opening, timeout]);
      if (result === 'timeout') {
        // If it opens later, close it: this instance has moved on without it.
        void opening.then(
          (db) => db.close(),
          () => undefined,
        );
        return this.#disable(`opening the database took longer than ${timeoutMs} ms`);
      }
      return result;
    } catch (err) {
      return this.#disable(describeError(err), err);
    } finally {
      timer?.cancel();
    }
  }

  #disable(reason: string, err?: unknown): undefined {
    this.#options.notices?.report('unavailable', UNAVAILABLE_MESSAGE);
    this.#warnOnce(
      `kubeglass: IndexedDB is unavailable (${reason}); ${this.#options.purpose} will not be saved between sessions. Everything else keeps working.`,
      err,
    );
    return undefined;
  }

  // One warning per connection: a disabled database would otherwise warn on every call.
  #warnOnce(message: string, err?: unknown): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#options.warn(message, err);
  }
}
