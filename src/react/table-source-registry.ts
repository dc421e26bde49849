// The views' live sources, one per (context, GVR, namespace, label selector, field selector), each
// an InformerLiveSource over the informer that the app's one DynamicSharedInformerFactory holds for
// that key (SI-11, issue 4): however many views show a key, there is one informer and one watch.
//
// The registry counts the views per key: the first retain attaches the source (it subscribes to the
// informer, which keeps the informer running), the last release detaches it, and the factory stops
// the informer after its idle grace, so flipping between views does not relist.
//
// Each key gets one TableListerWatcher for the registry's lifetime: the factory builds every
// informer of that key on it (listerWatcherFor), so column definitions and raw-event taps survive
// an informer being replaced (idle restart, user retry after 403).
import type { GroupVersionResource } from '../kube/api/types.ts';
import { OWNER_UID_INDEX, ownerUIDIndexFunc } from '../kube/cache/index-funcs.ts';
import type { CacheKey, InformerPersistence } from '../kube/cache/persistence.ts';
import {
  DynamicSharedInformerFactory,
  informerKeyString,
  type NormalizedInformerKey,
} from '../kube/cache/shared-informer-factory.ts';
import type { Clock } from '../kube/clock/clock.ts';
import type { RESTClient } from '../kube/rest/rest-client.ts';
import type { FrameScheduler } from './frame-batcher.ts';
import { InformerLiveSource } from './informer-live-source.ts';
import type { LiveSource, SyncStatus } from './live-source.ts';
import { rowObjectLevel } from './row-object-level.ts';
import type { TableColumnDefinition } from './server-table.ts';
import { TableListerWatcher } from './table-lister-watcher.ts';
import { yieldToPage } from './yield-to-page.ts';

/** How long a watch applies events before the page gets a turn (see ReflectorOptions.timeSlice). */
const WATCH_SLICE_MS = 8;

export interface TableSourceKey {
  context: string;
  gvr: GroupVersionResource;
  /** "" for all namespaces or a cluster-scoped resource. */
  namespace: string;
  labelSelector: string;
  fieldSelector: string;
}

/** Remembers a key's column definitions between sessions (the rows live in the informer cache). */
export interface ColumnMemory {
  load(key: TableSourceKey): readonly TableColumnDefinition[];
  save(key: TableSourceKey, columns: readonly TableColumnDefinition[]): void;
}

export interface TableSourceRegistryOptions {
  scheduleFrame?: FrameScheduler;
  columns?: ColumnMemory;
  /** A list or watch answered 404 (the resource is gone from the server): discovery is stale (DI-11). */
  onNotFound?: (key: TableSourceKey, error: unknown) => void;
}

export interface LiveInformersOptions extends TableSourceRegistryOptions {
  /** The RESTClient of a context (baseUrl /clusters/{context}); called once per key. */
  clientFor(context: string): RESTClient;
  /** BR-08: warm start and write-behind; cacheKeyFor returns undefined to keep a key in memory only. */
  persistence?: {
    store: InformerPersistence;
    cacheKeyFor(key: NormalizedInformerKey): CacheKey | undefined;
  };
  /** How long an informer nobody watches keeps running (factory default 30 s). */
  idleGraceMs?: number;
  clock?: Clock;
  warn?: (message: string, error?: unknown) => void;
}

/**
 * The composition root's one factory (Table-row informers with the owner-UID index) and the
 * registry over it. Keys without a cache key (Secrets, unknown contexts) are kept in memory only.
 */
export function createTableSourceRegistry(opts: LiveInformersOptions): TableSourceRegistry {
  const listerWatchers = tableListerWatchers(opts.clientFor);
  const persistence = opts.persistence;
  const factory = new DynamicSharedInformerFactory({
    listerWatcherFor: (key) => listerWatchers.listerWatcherFor(key),
    informerOptions: (key) => ({
      indexers: { [OWNER_UID_INDEX]: ownerUIDIndexFunc },
      // Table watches may not carry the initial-events-end bookmark on every server, so Table
      // informers use the classic paged list + watch (R-05..R-18).
      // A burst of events is applied in slices of ~8 ms with the page running between them, so
      // one large WebSocket frame never becomes one long task (issue 5: tasks ≤ 50 ms).
      reflector: {
        useWatchList: false,
        name: informerKeyString(key),
        timeSlice: { sliceMs: WATCH_SLICE_MS, yieldToPage },
      },
    }),
    ...(persistence ? { persistence: selectivePersistence(persistence) } : {}),
    ...(opts.idleGraceMs !== undefined ? { idleGraceMs: opts.idleGraceMs } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.warn ? { warn: opts.warn } : {}),
  });
  factory.start();
  return new TableSourceRegistry(factory, listerWatchers, opts);
}

export function sourceId(key: TableSourceKey): string {
  return informerKeyString(key);
}

/**
 * The factory's listerWatcherFor, bound to a registry created later: the composition root makes
 * the factory first (it needs the ListerWatchers) and the registry second (it needs the factory).
 */
export function tableListerWatchers(clientFor: (context: string) => RESTClient): {
  listerWatcherFor(key: NormalizedInformerKey): TableListerWatcher;
} {
  const byId = new Map<string, TableListerWatcher>();
  return {
    listerWatcherFor(key) {
      const id = informerKeyString(key);
      let lw = byId.get(id);
      if (!lw) {
        lw = new TableListerWatcher({
          client: clientFor(key.context),
          gvr: key.gvr,
          namespace: key.namespace,
          labelSelector: key.labelSelector,
          fieldSelector: key.fieldSelector,
          objectLevel: rowObjectLevel(key.gvr, key.fieldSelector),
        });
        byId.set(id, lw);
      }
      return lw;
    },
  };
}

/**
 * The factory asks for a cache key for every informer; a key the app must not persist (a Secret,
 * a context whose identity is unknown) gets a marker key that this wrapper never loads or writes.
 */
function selectivePersistence(p: NonNullable<LiveInformersOptions['persistence']>): {
  store: InformerPersistence;
  cacheKeyFor(key: NormalizedInformerKey): CacheKey;
} {
  const memoryOnly = new WeakSet<CacheKey>();
  const store: InformerPersistence = {
    load: (key) => (memoryOnly.has(key) ? Promise.resolve(undefined) : p.store.load(key)),
    write: (key, delta) => (memoryOnly.has(key) ? Promise.resolve() : p.store.write(key, delta)),
    drop: (key) => (memoryOnly.has(key) ? Promise.resolve() : p.store.drop(key)),
    clearContext: (context) => p.store.clearContext(context),
  };
  return {
    store,
    cacheKeyFor(key) {
      const real = p.cacheKeyFor(key);
      if (real) return real;
      const marker: CacheKey = { ...key, ...key.gvr, server: '', user: '' };
      memoryOnly.add(marker);
      return marker;
    },
  };
}

/** One row of an open view, as inspect() reports it: enough to compare with the server's list. */
export interface InspectedRow {
  namespace: string;
  name: string;
  resourceVersion: string;
}

/** What inspect() tells about one open view's source (a key at least one view retains). */
export interface InspectedView {
  /** The source id (informerKeyString of the key). */
  key: string;
  context: string;
  /** "v1/pods", "apps/v1/deployments". */
  gvr: string;
  /** "" for all namespaces or a cluster-scoped resource. */
  namespace: string;
  labelSelector: string;
  fieldSelector: string;
  /** How many views retain it. */
  views: number;
  phase: SyncStatus['phase'];
  lastSyncRV: string;
  reason: string | null;
  lastError: string | null;
  fromCache: boolean;
  count: number;
  rows: InspectedRow[];
}

interface Entry {
  key: TableSourceKey;
  source: InformerLiveSource;
  // Invariant: the number of retain() calls not yet released; the source is attached while > 0.
  refs: number;
}

export class TableSourceRegistry {
  readonly #factory: DynamicSharedInformerFactory;
  readonly #listerWatchers: { listerWatcherFor(key: NormalizedInformerKey): TableListerWatcher };
  readonly #opts: TableSourceRegistryOptions;
  readonly #entries = new Map<string, Entry>();

  /**
   * `factory` must build its informers with `listerWatchers.listerWatcherFor` (the same object), so
   * the sources read columns and raw events from the ListerWatcher their informer runs on.
   */
  constructor(
    factory: DynamicSharedInformerFactory,
    listerWatchers: { listerWatcherFor(key: NormalizedInformerKey): TableListerWatcher },
    opts: TableSourceRegistryOptions = {},
  ) {
    this.#factory = factory;
    this.#listerWatchers = listerWatchers;
    this.#opts = opts;
  }

  get factory(): DynamicSharedInformerFactory {
    return this.#factory;
  }

  /** The source for key, created (not attached) if needed. Safe to call during render. */
  get(key: TableSourceKey): LiveSource {
    return this.#entry(key).source;
  }

  /** Keep the source attached (its informer running) until the returned release is called. */
  retain(key: TableSourceKey): () => void {
    const entry = this.#entry(key);
    entry.refs++;
    if (entry.refs === 1) entry.source.attach();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs === 0) entry.source.detach();
    };
  }

  /**
   * A read-only report of every open view's source: key, sync status and the rows it publishes
   * (namespace, name, resourceVersion), as plain data. For diagnostics and the end-to-end fault
   * suite (window.__kubeglassInspect); reading it changes nothing.
   */
  inspect(): InspectedView[] {
    const out: InspectedView[] = [];
    for (const [id, entry] of this.#entries) {
      if (entry.refs === 0) continue;
      const key = entry.key;
      const snapshot = entry.source.getSnapshot();
      const gvr =
        key.gvr.group === ''
          ? `${key.gvr.version}/${key.gvr.resource}`
          : `${key.gvr.group}/${key.gvr.version}/${key.gvr.resource}`;
      out.push({
        key: id,
        context: key.context,
        gvr,
        namespace: key.namespace,
        labelSelector: key.labelSelector,
        fieldSelector: key.fieldSelector,
        views: entry.refs,
        phase: snapshot.status.phase,
        lastSyncRV: snapshot.status.lastSyncRV,
        reason: snapshot.status.reason ?? null,
        lastError: snapshot.status.lastError,
        fromCache: snapshot.status.fromCache,
        count: snapshot.count,
        rows: snapshot.rows.map((row) => ({
          namespace: row.metadata?.namespace ?? '',
          name: row.metadata?.name ?? '',
          resourceVersion: row.metadata?.resourceVersion ?? '',
        })),
      });
    }
    return out;
  }

  /** BR-06: every running informer retries at once (tab visible again, network back). */
  retryNow(): void {
    this.#factory.retryNow();
  }

  /** Detach every source and stop every informer (tests, page unload). */
  async stopAll(): Promise<void> {
    for (const entry of this.#entries.values()) {
      entry.refs = 0;
      entry.source.detach();
    }
    this.#entries.clear();
    await this.#factory.shutdown();
  }

  #entry(key: TableSourceKey): Entry {
    const id = sourceId(key);
    let entry = this.#entries.get(id);
    if (!entry) {
      const columns = this.#opts.columns;
      const source = new InformerLiveSource({
        id,
        key,
        factory: this.#factory,
        listerWatcher: this.#listerWatchers.listerWatcherFor({
          context: key.context,
          gvr: { group: key.gvr.group, version: key.gvr.version, resource: key.gvr.resource },
          namespace: key.namespace,
          labelSelector: key.labelSelector,
          fieldSelector: key.fieldSelector,
        }),
        ...(this.#opts.scheduleFrame ? { scheduleFrame: this.#opts.scheduleFrame } : {}),
        ...(this.#opts.onNotFound
          ? { onNotFound: (error: unknown) => this.#opts.onNotFound?.(key, error) }
          : {}),
        ...(columns
          ? { cachedColumns: () => columns.load(key), saveColumns: (c) => columns.save(key, c) }
          : {}),
      });
      entry = { key, source, refs: 0 };
      this.#entries.set(id, entry);
    }
    return entry;
  }
}
