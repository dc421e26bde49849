// The messages between the page's WorkerInformerPersistence and the persistence worker that hosts
// IndexedDbInformerPersistence (BR-08, issue 5). Types, constants and a validator only.
//
// Objects cross as JSON text, never as cloned objects (measured in the ui bench's page profile:
// per 15 s of load, JSON.stringify plus posting the text took the main thread 1.1 s + 0.9 s,
// posting the same table rows as objects 3.4 s; and in Chromium for 5,000 pods, JSON.parse of a
// load's text 90–130 ms against 165–175 ms for deserializing cloned objects). The page strips
// Secret values before it stringifies a write: nothing secret leaves the page for storage.
//
// Invariants: the page numbers requests 1, 2, 3… and the worker answers each exactly once with a
// reply carrying the same id; the worker handles messages in the order they arrive (a
// MessagePort keeps order), so a write posted before a load is visible to that load. A write's
// upserts come first, as 'stage' messages (no id, no reply) posted back to back right before
// their write request: the page posts a large write in slices, yielding between them, and the
// worker needs only one staging buffer.
import type { CacheKey } from '../../kube/cache/persistence.ts';
import type { PersistenceNoticeKind } from '../persistence-notices.ts';

/**
 * A stored cache as text: `chunks[i]` holds the JSON text of each object of chunk i, in key order,
 * as stored. Posted as read, not joined into one array text per chunk: joining cost the worker a
 * copy of every text (and a longer serialization), while parsing 500 small texts costs the page
 * no more than one big one (V8, 50,000 objects of 3 KB: about 0.4 s against 0.6 s from read to
 * received, parse time equal).
 */
export interface CacheText {
  resourceVersion: string;
  writtenAt: number;
  /** Objects in the whole stored cache (chunks may hold fewer when the load was limited). */
  count: number;
  chunks: string[][];
}

export type PersistenceRequest =
  /**
   * limit null: the whole cache, adopted as the informer's base (load/loadChunked). A number: at
   * least that many first objects (loadFirst), adopting nothing.
   */
  | { id: number; op: 'load'; key: CacheKey; limit: number | null }
  /** A CacheDelta whose upserts are the objects staged since the previous request. */
  | {
      id: number;
      op: 'write';
      key: CacheKey;
      resourceVersion: string;
      deletes: string[];
      replace: boolean;
    }
  /**
   * Answered once the writes posted before it for key have committed (or were skipped): the page
   * then reads the stored cache itself (informer-cache-reader.ts) and sees them.
   */
  | { id: number; op: 'settle'; key: CacheKey }
  /**
   * The page read key's stored cache itself: revision (the stored record's) when it read the whole
   * cache, which becomes the base of later deltas as after a 'load'; null for a first screen.
   */
  | { id: number; op: 'loaded'; key: CacheKey; revision: string | null }
  | { id: number; op: 'drop'; key: CacheKey }
  | { id: number; op: 'clearContext'; context: string }
  | { id: number; op: 'flush' }
  | { id: number; op: 'close' };

export type PersistenceOp = PersistenceRequest['op'];

/**
 * A slice of the upserts of the write request that follows (no id: that write is answered). One
 * JSON text per object, with its namespace/name key, so that the worker stores each text as is:
 * parsing the page's text back into objects and serializing them again made a 50,000-pod relist
 * persist take 5.6 s instead of 1.5 s.
 */
export interface StageMessage {
  op: 'stage';
  /** keys[i] is the namespace/name of the object whose JSON is items[i]. */
  keys: string[];
  /** Each object's JSON, Secret values stripped. */
  items: string[];
}

/** Everything the page posts. */
export type PageMessage = PersistenceRequest | StageMessage;

/** What a failed request rejected with, rebuilt on the page with the same name and message. */
export interface ErrorShape {
  name: string;
  message: string;
}

export type WorkerMessage =
  /** Posted once, first, when the worker has built its persistence: it can take requests. */
  | { type: 'ready' }
  | { type: 'reply'; id: number; ok: true; value: CacheText | null }
  | { type: 'reply'; id: number; ok: false; error: ErrorShape }
  /** A warning of the hosted persistence (each distinct problem once), with its error described. */
  | { type: 'warn'; message: string; detail: string }
  /** A notice for the UI (PersistenceNotices): no IndexedDB, or storage full. */
  | { type: 'notice'; kind: PersistenceNoticeKind; message: string };

const OPS: ReadonlySet<string> = new Set([
  'load',
  'settle',
  'loaded',
  'write',
  'drop',
  'clearContext',
  'flush',
  'close',
]);

/**
 * The request id of data if it looks like a request (so a malformed one can still be answered),
 * or undefined. The worker validates the fields of each op where it uses them.
 */
export function requestId(data: unknown): number | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const id: unknown = (data as { id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

export function isKnownOp(op: unknown): op is PersistenceOp {
  return typeof op === 'string' && OPS.has(op);
}

export function errorShape(err: unknown): ErrorShape {
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: 'Error', message: String(err) };
}

/** The error a failed request rejects with on the page: same name and message as in the worker. */
export function errorFromShape(shape: ErrorShape): Error {
  const err =
    shape.name === 'TypeError'
      ? new TypeError(shape.message)
      : shape.name === 'RangeError'
        ? new RangeError(shape.message)
        : new Error(shape.message);
  if (err.name !== shape.name) err.name = shape.name;
  return err;
}

/** One line describing an error for a forwarded warning (errors themselves do not cross). */
export function describeDetail(error: unknown): string {
  if (error === undefined) return '';
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
