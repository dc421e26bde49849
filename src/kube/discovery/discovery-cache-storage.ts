// DI-11 / BR-08: where the persistent discovery cache keeps its entries. Declared here so that
// kube/ never imports IndexedDB; src/persist implements it in IndexedDB. One storage instance
// belongs to one cluster identity (server URL + context + user): the implementation scopes its
// keys, this layer never mixes clusters.

export interface DiscoveryCacheEntry {
  /** Structured-clone-safe JSON data. */
  value: unknown;
  /** ms since epoch (by the writer's clock) when the entry was written or last revalidated. */
  writtenAt: number;
}

export interface DiscoveryCacheStorage {
  /** The entry, or undefined when absent (or when storage is unavailable: the cache is best-effort). */
  get(key: string): Promise<DiscoveryCacheEntry | undefined>;
  put(key: string, value: unknown, writtenAt: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Remove every entry of this cluster. */
  clear(): Promise<void>;
}

/** An in-memory DiscoveryCacheStorage, for tests and for environments with no IndexedDB. */
export class MemoryDiscoveryCacheStorage implements DiscoveryCacheStorage {
  readonly entries = new Map<string, DiscoveryCacheEntry>();

  async get(key: string): Promise<DiscoveryCacheEntry | undefined> {
    const e = this.entries.get(key);
    // Hand out a copy, as structured clone from IndexedDB would.
    return e ? structuredClone(e) : undefined;
  }

  async put(key: string, value: unknown, writtenAt: number): Promise<void> {
    this.entries.set(key, structuredClone({ value, writtenAt }));
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async clear(): Promise<void> {
    this.entries.clear();
  }
}
