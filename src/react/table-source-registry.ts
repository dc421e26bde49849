// One live source per (context, GVR, namespace, label selector, field selector), shared by every
// view that shows it (SI-11, BR-09 option 3) and stopped a grace period after the last view let go,
// so flipping between views does not relist. This is the UI's informer factory for Table rows (the
// SharedInformerFactory keys plain-object informers the same way; Table informers need their own
// ListerWatcher, hence this small registry).
import type { GroupVersionResource } from '../kube/api/types.ts';
import { type Clock, realClock, type TimerHandle } from '../kube/clock/clock.ts';
import type { RESTClient } from '../kube/rest/rest-client.ts';
import type { FrameScheduler } from './frame-batcher.ts';
import type { LiveSource } from './live-source.ts';
import type { RowCache } from './row-cache.ts';
import { TableInformer } from './table-informer.ts';
import { TableListerWatcher } from './table-lister-watcher.ts';

export interface TableSourceKey {
  context: string;
  gvr: GroupVersionResource;
  /** "" for all namespaces or a cluster-scoped resource. */
  namespace: string;
  labelSelector: string;
  fieldSelector: string;
}

export interface TableSourceRegistryOptions {
  /** The RESTClient of a context (baseUrl /clusters/{context}); called once per source. */
  clientFor(context: string): RESTClient;
  clock?: Clock;
  scheduleFrame?: FrameScheduler;
  /** Warm start / write-behind for a source (BR-08); undefined keeps it in memory only. */
  rowCacheFor?: (key: TableSourceKey) => RowCache | undefined;
  /** How long a source keeps running after its last user left. Default 15 s. */
  releaseDelayMs?: number;
}

interface Entry {
  informer: TableInformer;
  // Invariant: the number of retain() calls not yet released; the informer runs while > 0 or during the grace timer.
  refs: number;
  stopTimer: TimerHandle | null;
}

export function sourceId(key: TableSourceKey): string {
  const { context, gvr, namespace, labelSelector, fieldSelector } = key;
  return JSON.stringify([
    context,
    gvr.group,
    gvr.version,
    gvr.resource,
    namespace,
    labelSelector,
    fieldSelector,
  ]);
}

export class TableSourceRegistry {
  readonly #opts: TableSourceRegistryOptions;
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();

  constructor(opts: TableSourceRegistryOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? realClock;
  }

  /** The source for key, created (not started) if needed. Safe to call during render. */
  get(key: TableSourceKey): LiveSource {
    return this.#entry(key).informer;
  }

  /** Start (or keep) the source running until the returned release is called. */
  retain(key: TableSourceKey): () => void {
    const entry = this.#entry(key);
    entry.refs++;
    entry.stopTimer?.cancel();
    entry.stopTimer = null;
    entry.informer.start();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs > 0) return;
      entry.stopTimer = this.#clock.setTimer(() => {
        entry.informer.stop();
        this.#entries.delete(entry.informer.id);
      }, this.#opts.releaseDelayMs ?? 15_000);
    };
  }

  /** Stop everything (context switch away, page unload). */
  stopAll(): void {
    for (const entry of this.#entries.values()) {
      entry.stopTimer?.cancel();
      entry.informer.stop();
    }
    this.#entries.clear();
  }

  #entry(key: TableSourceKey): Entry {
    const id = sourceId(key);
    let entry = this.#entries.get(id);
    if (!entry) {
      const listerWatcher = new TableListerWatcher({
        client: this.#opts.clientFor(key.context),
        gvr: key.gvr,
        namespace: key.namespace,
        labelSelector: key.labelSelector,
        fieldSelector: key.fieldSelector,
      });
      const informer = new TableInformer({
        id,
        listerWatcher,
        clock: this.#clock,
        scheduleFrame: this.#opts.scheduleFrame,
        cache: this.#opts.rowCacheFor?.(key),
      });
      entry = { informer, refs: 0, stopTimer: null };
      this.#entries.set(id, entry);
    }
    return entry;
  }
}
