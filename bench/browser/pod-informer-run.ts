// One SharedIndexInformer for all pods of a context, run in the page exactly as the app builds it
// (RESTClient → DynamicClient → listWatchFor → SharedIndexInformer) through the proxy, with a
// counter of update notifications for the watch-throughput figure.
//
// The first watch waits behind a gate until the driver opens it: the driver commits the burst in
// the simulated cluster while nothing consumes it, then opens the gate, and the watch from the
// list's resourceVersion replays the whole burst as fast as the client takes it. Measuring live
// would measure the simulator's commit rate instead of the client.
import { clusterBasePath } from '../../proxy/contract/api.ts';
import type { GroupVersionResource, KubeObject } from '../../src/kube/api/types.ts';
import { listWatchFor } from '../../src/kube/cache/list-watch.ts';
import type { ListerWatcher } from '../../src/kube/cache/lister-watcher.ts';
import { SharedIndexInformer } from '../../src/kube/cache/shared-informer.ts';
import { DynamicClient } from '../../src/kube/dynamic/dynamic-client.ts';
import { RESTClient } from '../../src/kube/rest/rest-client.ts';
import {
  createWatchMuxTransport,
  type WatchMuxTransport,
  watchMuxUrl,
} from '../../src/kube/rest/watch-mux-transport.ts';
import type { SyncResult, WatchTransport, WatchWaitResult } from './page-api.ts';

export const PODS: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };

// The app's client settings, exactly (src/main.tsx says why: kubectl's QPS 50 / burst 300 rather
// than client-go's 5 / 10, with the apiserver's APF 429 + Retry-After as the real protection).
// pod-informer-run.test.ts checks that these equal the constants in src/main.tsx.
export const QPS = 50;
export const BURST = 300;
// The page's one WebSocket multiplexer, built as src/main.tsx builds the app's (one per tab).
let watchMux: WatchMuxTransport | undefined;
function pageWatchMux(): WatchMuxTransport {
  watchMux ??= createWatchMuxTransport({ url: watchMuxUrl(location.href), WebSocket: globalThis.WebSocket });
  return watchMux;
}

/** How often hasSynced is polled while waiting for the initial list: the figure's resolution. */
const SYNC_POLL_MS = 5;

interface UpdateCounter {
  expected: number;
  updates: number;
  doneAt: number | undefined;
  wake: (() => void) | undefined;
}

export class PodInformerRun {
  readonly context: string;
  readonly informer: SharedIndexInformer<KubeObject>;
  readonly #abort = new AbortController();
  #running: Promise<void> | undefined;
  // Invariant: set only between armUpdateCounter and the end of the matching waitUpdates.
  #counter: UpdateCounter | undefined;
  readonly #gate: { opened: boolean; open: () => void; wait: Promise<void> };

  constructor(context: string, pageSize: number, transport: WatchTransport) {
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    }
    this.context = context;
    const rest = new RESTClient({
      baseUrl: clusterBasePath(context),
      qps: QPS,
      burst: BURST,
      ...(transport === 'mux' ? { streamFetch: pageWatchMux() } : {}),
    });
    let open = () => {};
    const wait = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.#gate = { opened: false, open, wait };
    this.informer = new SharedIndexInformer(this.#gated(listWatchFor(new DynamicClient(rest), PODS)), {
      freeze: false, // production builds do not freeze (read-only.ts); the bench measures those
      reflector: { pageSize, useWatchList: false, name: `bench pods ${context}` },
    });
    // A handler is registered before run, as a view's would be; it only counts updates.
    this.informer.addEventHandler({ onUpdate: () => this.#onUpdate() });
  }

  /** Run and resolve when the informer has synced (R-*: paged list, then watch). */
  async start(timeoutMs: number): Promise<SyncResult> {
    const started = performance.now();
    this.#running = this.informer.run(this.#abort.signal).catch((err: unknown) => {
      console.error('bench informer failed', err);
    });
    const deadline = started + timeoutMs;
    while (!this.informer.hasSynced()) {
      if (performance.now() > deadline) {
        throw new Error(
          `informer did not sync within ${timeoutMs} ms (${this.informer.getIndexer().size} objects)`,
        );
      }
      if (this.informer.isStopped()) throw new Error('informer stopped before it synced');
      await new Promise((resolve) => setTimeout(resolve, SYNC_POLL_MS));
    }
    const ms = performance.now() - started;
    return {
      ms,
      objects: this.informer.getIndexer().size,
      resourceVersion: this.informer.lastSyncResourceVersion(),
    };
  }

  /** Let the first watch start; returns the page wall clock (Date.now()) at that moment. */
  openWatchGate(): number {
    if (this.#gate.opened) throw new Error('the watch gate is already open');
    this.#gate.opened = true;
    const openedAt = Date.now();
    this.#gate.open();
    return openedAt;
  }

  armUpdateCounter(expected: number): void {
    if (!Number.isInteger(expected) || expected < 1) {
      throw new RangeError(`expected must be a positive integer, got ${expected}`);
    }
    this.#counter = { expected, updates: 0, doneAt: undefined, wake: undefined };
  }

  async waitUpdates(timeoutMs: number): Promise<WatchWaitResult> {
    const counter = this.#counter;
    if (!counter) throw new Error('waitUpdates before armUpdateCounter');
    try {
      if (counter.doneAt === undefined) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`${counter.updates}/${counter.expected} updates after ${timeoutMs} ms`)),
            timeoutMs,
          );
          counter.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return { doneAt: counter.doneAt ?? Number.NaN, updates: counter.updates };
    } finally {
      this.#counter = undefined;
    }
  }

  resourceVersionOf(key: string): string | undefined {
    return this.informer.getIndexer().getByKey(key)?.metadata?.resourceVersion;
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#running;
  }

  /** lw whose watch() waits for the gate (or rejects when its signal aborts first). */
  #gated(lw: ListerWatcher<KubeObject>): ListerWatcher<KubeObject> {
    return {
      list: (options, signal, hooks) => lw.list(options, signal, hooks),
      watch: async (options, signal) => {
        if (!this.#gate.opened) {
          await new Promise<void>((resolve, reject) => {
            const onAbort = () => reject(signal.reason ?? new Error('aborted'));
            if (signal.aborted) return onAbort();
            signal.addEventListener('abort', onAbort, { once: true });
            void this.#gate.wait.then(() => {
              signal.removeEventListener('abort', onAbort);
              resolve();
            });
          });
        }
        return lw.watch(options, signal);
      },
    };
  }

  #onUpdate(): void {
    const counter = this.#counter;
    if (!counter || counter.doneAt !== undefined) return;
    if (++counter.updates >= counter.expected) {
      counter.doneAt = Date.now();
      counter.wake?.();
    }
  }
}
