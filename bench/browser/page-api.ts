// The contract between the bench driver (Node, Playwright) and the in-page bench entry: the
// functions entry.ts puts on `window.kubeglassBench` and what they return. Types only, so both
// sides can import it without pulling page code into Node or Node code into the page.

/** The global the page entry defines; the driver waits for it before calling anything. */
export const PAGE_API_GLOBAL = 'kubeglassBench';

/** One timed pass over a watch replay. */
export interface DecodeResult {
  ms: number;
  events: number;
  /** Body bytes of those events; absent for the live decoder pass, which does not count them. */
  bytes?: number;
}

export interface DecodeRunOptions {
  /** Same-origin URL of the watch replay, e.g. /clusters/sim-token/api/v1/pods?watch=true&resourceVersion=1. */
  url: string;
  /** Events the replay holds; reading stops after this many (a watch body never ends by itself). */
  events: number;
}

export interface SyncResult {
  /** From informer.run() until hasSynced(). */
  ms: number;
  /** Objects in the indexer at that moment. */
  objects: number;
  resourceVersion: string;
}

export interface WatchWaitResult {
  /** Page wall clock (Date.now()) of the update notification that completed the count. */
  doneAt: number;
  updates: number;
}

export interface PersistResult {
  /** From write() until the batch is committed (flush() resolved). */
  ms: number;
  objects: number;
  /** Longest main-thread task seen by a 'longtask' PerformanceObserver during the write, 0 if none. */
  longestTaskMs: number;
  longTasks: number;
  /** False when the browser does not report long tasks (then longestTaskMs means nothing). */
  longTaskObserved: boolean;
}

export interface WarmStartResult {
  /** From opening the persistence until the first `firstN` objects (key order) were parsed. */
  firstScreenMs: number;
  firstObjects: number;
  /** From opening the persistence until every stored object is in an IndexerCache. */
  wholeStoreMs: number;
  /** Where the whole-store time after the first screen went: loadChunked, parsing chunks, indexing. */
  phases: { readMs: number; parseMs: number; indexMs: number };
  objects: number;
  resourceVersion: string;
}

/** How the page's informer sends its watches. */
export type WatchTransport = 'mux' | 'fetch';

export interface BenchPageApi {
  /** (a) fetch body transport only: bytes read and newlines counted, nothing decoded. */
  transport(opts: DecodeRunOptions): Promise<DecodeResult>;
  /** Fetches the replay once and keeps its bytes in the page for the in-memory passes. */
  capture(opts: DecodeRunOptions): Promise<DecodeResult>;
  /** (b) TextDecoder + split('\n') + JSON.parse over the captured bytes. */
  rawParse(): Promise<DecodeResult>;
  /** (c) our decodeWatchStream over the captured bytes as a ReadableStream of 64 KiB chunks. */
  decoderFromMemory(): Promise<DecodeResult>;
  /** (d) our decodeWatchStream over the live fetch body. */
  decoderLive(opts: DecodeRunOptions): Promise<DecodeResult>;
  /** Drops the captured bytes. */
  release(): Promise<void>;

  /** Starts a SharedIndexInformer for pods of `context` and resolves when it has synced. */
  /**
   * transport 'mux': watches over the proxy's WebSocket multiplexer, as the app sends them
   * (src/main.tsx); 'fetch': each watch a plain HTTP request.
   */
  startInformer(opts: { context: string; pageSize: number; transport: WatchTransport }): Promise<SyncResult>;
  /**
   * The informer's first watch waits until this is called (see pod-informer-run.ts). Resolves with
   * the page wall clock (Date.now()) at which the watch was let go.
   */
  openWatchGate(): Promise<number>;
  /** Counts update notifications from now on, until `expected` of them arrived. */
  armUpdateCounter(opts: { expected: number }): Promise<void>;
  /** Resolves when the armed count is reached; rejects after timeoutMs. */
  waitUpdates(opts: { timeoutMs: number }): Promise<WatchWaitResult>;
  /** resourceVersion of the object under `key` ("ns/name") in the running informer's indexer. */
  resourceVersionOf(opts: { key: string }): Promise<string | undefined>;
  /** Writes the running informer's store to IndexedDB as a relist (replace) and waits for the commit. */
  persistStore(opts: { databaseName: string }): Promise<PersistResult>;
  /** Stops the running informer and forgets its store. */
  stopInformer(): Promise<void>;

  /** Warm start from what persistStore wrote (call in a fresh page of the same origin). */
  warmStart(opts: { databaseName: string; context: string; firstN: number }): Promise<WarmStartResult>;
}
