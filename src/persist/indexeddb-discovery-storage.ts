// DiscoveryCacheStorage over IndexedDB (DI-11, BR-08): the persistent discovery cache that
// client-go keeps on disk. Entries ("servergroups", "{gv}/serverresources") are stored with their
// writtenAt; the TTL and invalidation rules live in kube/discovery's CachedDiscoveryClient.
//
// One database holds every cluster's entries; each instance is scoped to one cluster identity
// (context, server URL, user), so switching contexts never serves another cluster's discovery.
// Like the informer cache, this is best-effort: storage problems are warned about once and read
// as "no entry", never thrown.
import type { Clock } from '../kube/clock/clock.ts';
import type {
  DiscoveryCacheEntry,
  DiscoveryCacheStorage,
} from '../kube/discovery/discovery-cache-storage.ts';
import { DatabaseConnection } from './database-connection.ts';
import { abortQuietly, requestResult, transactionDone } from './idb-request.ts';
import type { PersistenceNotices } from './persistence-notices.ts';

export const DISCOVERY_CACHE_DB_NAME = 'kubeglass-discovery-cache';
/**
 * Version 1: object store "entries", keyPath [scope, key], indexed by scope and by context. A
 * version change discards the old layout: discovery is refetched in one round trip.
 */
export const DISCOVERY_CACHE_SCHEMA_VERSION = 1;
const ENTRIES = 'entries';
const BY_SCOPE = 'scope';
const BY_CONTEXT = 'context';

/** The cluster identity an instance's entries belong to. */
export interface DiscoveryCacheScope {
  context: string;
  server: string;
  user: string;
}

export interface IndexedDbDiscoveryStorageOptions {
  /** globalThis.indexedDB in the browser, a fake-indexeddb IDBFactory in tests; undefined disables it. */
  indexedDB: IDBFactory | undefined;
  scope: DiscoveryCacheScope;
  databaseName?: string;
  warn?: (message: string, error?: unknown) => void;
  /** Only for the open timeout's timer. */
  clock?: Clock;
  openTimeoutMs?: number;
  /** Told (once) when IndexedDB cannot be opened, for the UI. */
  notices?: PersistenceNotices;
}

interface EntryRecord {
  scope: string;
  context: string;
  key: string;
  value: unknown;
  writtenAt: number;
}

export function upgradeDiscoveryCache(db: IDBDatabase, _oldVersion: number): void {
  for (const name of Array.from(db.objectStoreNames)) db.deleteObjectStore(name);
  const entries = db.createObjectStore(ENTRIES, { keyPath: ['scope', 'key'] });
  entries.createIndex(BY_SCOPE, 'scope');
  entries.createIndex(BY_CONTEXT, 'context');
}

export class IndexedDbDiscoveryStorage implements DiscoveryCacheStorage {
  readonly #scope: string;
  readonly #context: string;
  readonly #connection: DatabaseConnection;
  readonly #warn: (message: string, error?: unknown) => void;
  readonly #warned = new Set<string>();

  constructor(options: IndexedDbDiscoveryStorageOptions) {
    const { context, server, user } = options.scope ?? ({} as Partial<DiscoveryCacheScope>);
    if (typeof context !== 'string' || typeof server !== 'string' || typeof user !== 'string') {
      throw new TypeError('IndexedDbDiscoveryStorage: scope needs string context, server and user');
    }
    // JSON of the fields, so no separator inside a value can make two scopes collide.
    this.#scope = JSON.stringify([context, server, user]);
    this.#context = context;
    this.#warn = options.warn ?? ((message, error) => console.warn(message, error ?? ''));
    this.#connection = new DatabaseConnection({
      factory: options.indexedDB,
      name: options.databaseName ?? DISCOVERY_CACHE_DB_NAME,
      version: DISCOVERY_CACHE_SCHEMA_VERSION,
      upgrade: upgradeDiscoveryCache,
      purpose: 'discovery results',
      warn: this.#warn,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.openTimeoutMs === undefined ? {} : { openTimeoutMs: options.openTimeoutMs }),
      ...(options.notices ? { notices: options.notices } : {}),
    });
  }

  async get(key: string): Promise<DiscoveryCacheEntry | undefined> {
    checkKey(key);
    let record: unknown;
    const ok = await this.#run('readonly', async (store) => {
      record = await requestResult(store.get([this.#scope, key]));
    });
    if (!ok || record === undefined) return undefined;
    const r = record as Partial<EntryRecord>;
    if (typeof r.writtenAt !== 'number' || !('value' in r)) {
      // Damaged or foreign: treat as absent and remove it so it is refetched and rewritten.
      await this.delete(key);
      return undefined;
    }
    return { value: r.value, writtenAt: r.writtenAt };
  }

  async put(key: string, value: unknown, writtenAt: number): Promise<void> {
    checkKey(key);
    if (typeof writtenAt !== 'number' || !Number.isFinite(writtenAt)) {
      throw new TypeError(`discovery cache writtenAt must be a finite number, got ${String(writtenAt)}`);
    }
    const record: EntryRecord = { scope: this.#scope, context: this.#context, key, value, writtenAt };
    await this.#run('readwrite', async (store) => {
      store.put(record); // DataCloneError (a function in value) is thrown here and warned about
    });
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await this.#run('readwrite', async (store) => {
      store.delete([this.#scope, key]);
    });
  }

  /** Remove every entry of this instance's cluster identity. */
  async clear(): Promise<void> {
    await this.#run('readwrite', async (store) => {
      const keys = await requestResult(store.index(BY_SCOPE).getAllKeys(this.#scope));
      for (const k of keys) store.delete(k);
    });
  }

  /** Remove the entries of every cluster identity under a context name (any server or user). */
  async clearContext(context: string): Promise<void> {
    if (typeof context !== 'string') throw new TypeError('clearContext: context must be a string');
    await this.#run('readwrite', async (store) => {
      const keys = await requestResult(store.index(BY_CONTEXT).getAllKeys(context));
      for (const k of keys) store.delete(k);
    });
  }

  close(): Promise<void> {
    return this.#connection.close();
  }

  /** Run fn in a transaction on the entries store. False (after one warning) when it failed. */
  async #run(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => Promise<void>): Promise<boolean> {
    const db = await this.#connection.get();
    if (!db) return false;
    try {
      const tx = db.transaction(ENTRIES, mode);
      const done = transactionDone(tx);
      try {
        await fn(tx.objectStore(ENTRIES));
      } catch (err) {
        abortQuietly(tx);
        await done.catch(() => undefined);
        throw err;
      }
      await done;
      return true;
    } catch (err) {
      const topic = `${mode}:${(err as { name?: unknown })?.name}`;
      if (!this.#warned.has(topic)) {
        this.#warned.add(topic);
        this.#warn(
          'kubeglass: the discovery cache could not be read or written; discovery will be refetched',
          err,
        );
      }
      return false;
    }
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError(`discovery cache key must be a non-empty string, got ${String(key)}`);
  }
}
