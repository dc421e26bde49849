// An in-memory InformerPersistence for tests: applies every CacheDelta to a stored snapshot and
// records the deltas, so tests can check both what was written and how it was batched.
import type { KubeObject } from '../../api/types.ts';
import type { CacheDelta, CacheKey, CacheSnapshot, InformerPersistence } from '../persistence.ts';

const keyOf = (k: CacheKey) => JSON.stringify(k);
const objKey = (o: KubeObject) =>
  o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : `${o.metadata?.name}`;

export class MemoryPersistence implements InformerPersistence {
  readonly snapshots = new Map<string, { rv: string; items: Map<string, KubeObject> }>();
  readonly writes: CacheDelta[] = [];
  loadError: unknown;

  seed(key: CacheKey, resourceVersion: string, items: KubeObject[]): void {
    this.snapshots.set(keyOf(key), { rv: resourceVersion, items: new Map(items.map((o) => [objKey(o), o])) });
  }

  stored(key: CacheKey): { rv: string; keys: string[] } | undefined {
    const s = this.snapshots.get(keyOf(key));
    return s && { rv: s.rv, keys: Array.from(s.items.keys()).sort() };
  }

  async load<T extends KubeObject>(key: CacheKey): Promise<CacheSnapshot<T> | undefined> {
    await Promise.resolve();
    if (this.loadError !== undefined) throw this.loadError;
    const s = this.snapshots.get(keyOf(key));
    return s && { resourceVersion: s.rv, items: Array.from(s.items.values()) as T[], writtenAt: 0 };
  }

  async write<T extends KubeObject>(key: CacheKey, delta: CacheDelta<T>): Promise<void> {
    await Promise.resolve();
    this.writes.push(delta);
    const s = this.snapshots.get(keyOf(key)) ?? { rv: '', items: new Map<string, KubeObject>() };
    if (delta.replace) s.items.clear();
    for (const o of delta.upserts) s.items.set(objKey(o), o);
    for (const k of delta.deletes) s.items.delete(k);
    s.rv = delta.resourceVersion;
    this.snapshots.set(keyOf(key), s);
  }

  async drop(key: CacheKey): Promise<void> {
    this.snapshots.delete(keyOf(key));
  }

  async clearContext(context: string): Promise<void> {
    for (const k of Array.from(this.snapshots.keys()))
      if ((JSON.parse(k) as CacheKey).context === context) this.snapshots.delete(k);
  }
}
