// The worker's half of the persistence RPC (BR-08, issue 5): answers the page's requests with an
// IndexedDbInformerPersistence that lives in the worker, so IndexedDB reads, chunk rewrites and
// their structured clones run off the page's main thread. Environment-free: the worker entry
// (informer-persistence-worker.ts) passes its global scope as the endpoint, tests a MessagePort.
//
// Ordering: each request is handed to the persistence synchronously, in arrival order, before any
// await, so the persistence sees writes, drops and loads in the order the page issued them (its
// own coalescing and read-your-own-writes rules then apply unchanged).
import type { CacheKey } from '../../kube/cache/persistence.ts';
import type { JsonCacheSnapshot } from '../indexeddb-informer-persistence.ts';
import type { JsonCacheDelta } from '../pending-batch.ts';
import type { PersistenceNotices } from '../persistence-notices.ts';
import {
  type CacheText,
  describeDetail,
  errorShape,
  isKnownOp,
  type PersistenceRequest,
  requestId,
  type StageMessage,
  type WorkerMessage,
} from './persistence-protocol.ts';

/** Where the worker posts to and hears from: its global scope, or a MessagePort in tests. */
export interface HostEndpoint {
  postMessage(message: WorkerMessage): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** What the host needs of IndexedDbInformerPersistence (a structural type, so tests can wrap one). */
export interface HostedPersistence {
  loadJson(key: CacheKey, limit: number): Promise<JsonCacheSnapshot | undefined>;
  settle(key: CacheKey): Promise<void>;
  adoptLoaded(key: CacheKey, revision: string | null): void;
  writeJson(key: CacheKey, delta: JsonCacheDelta): Promise<void>;
  drop(key: CacheKey): Promise<void>;
  clearContext(context: string): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface PersistenceHostOptions {
  /** Its reports are forwarded to the page's PersistenceNotices. */
  notices?: PersistenceNotices;
  /** Called after a close request was answered (the worker entry closes itself). */
  onClosed?: () => void;
}

/**
 * Serve requests from endpoint with persistence, forward the notices' reports, then post 'ready'
 * (before any reply: the page learns the worker started before hearing anything else from it).
 */
export function servePersistence(
  endpoint: HostEndpoint,
  persistence: HostedPersistence,
  options: PersistenceHostOptions = {},
): void {
  const post = (message: WorkerMessage) => endpoint.postMessage(message);
  const notices = options.notices;
  if (notices) {
    let forwarded = 0;
    const forward = () => {
      const all = notices.getSnapshot();
      for (; forwarded < all.length; forwarded++) {
        const notice = all[forwarded];
        if (notice) post({ type: 'notice', kind: notice.kind, message: notice.message });
      }
    };
    notices.subscribe(forward);
    forward();
  }
  // The upserts staged for the next write request. Invariant: empty except between a write's
  // stage messages and the write itself (the page posts them back to back).
  let staged: Array<[string, string]> = [];
  let stageError: unknown;
  endpoint.addEventListener('message', (event) => {
    const data: unknown = event.data;
    if (isStage(data)) {
      if (stageError === undefined) {
        try {
          stage(staged, data);
        } catch (err) {
          stageError = err; // answered by the write these objects belong to
        }
      }
      return;
    }
    const upserts = staged;
    const upsertsError = stageError;
    staged = [];
    stageError = undefined;
    const id = requestId(data);
    if (id === undefined) {
      post({
        type: 'warn',
        message: 'kubeglass: persistence worker ignored a message without a request id',
        detail: '',
      });
      return;
    }
    const request = data as PersistenceRequest;
    let work: Promise<CacheText | null>;
    try {
      if (upsertsError !== undefined) throw upsertsError;
      if (upserts.length > 0 && request.op !== 'write') {
        throw new TypeError(
          `${String(request.op)} request after staged upserts (only a write may follow them)`,
        );
      }
      work = handle(persistence, request, upserts);
    } catch (err) {
      work = Promise.reject(err);
    }
    work.then(
      (value) => post({ type: 'reply', id, ok: true, value }),
      (err: unknown) => post({ type: 'reply', id, ok: false, error: errorShape(err) }),
    );
    if (request.op === 'close' && options.onClosed) {
      const onClosed = options.onClosed;
      void work.finally(onClosed);
    }
  });
  post({ type: 'ready' });
}

/** A warn function for the hosted persistence that forwards to the page. */
export function forwardWarnings(endpoint: HostEndpoint): (message: string, error?: unknown) => void {
  return (message, error) => endpoint.postMessage({ type: 'warn', message, detail: describeDetail(error) });
}

/**
 * Start the request's work. Must call into persistence before returning (no await first): that is
 * what keeps the persistence's view of requests in arrival order.
 */
function handle(
  persistence: HostedPersistence,
  request: PersistenceRequest,
  upserts: Array<[string, string]>,
): Promise<CacheText | null> {
  const op: unknown = request.op;
  if (!isKnownOp(op)) throw new TypeError(`unknown persistence request ${JSON.stringify(op)}`);
  switch (request.op) {
    case 'load': {
      const limit = request.limit === null ? Number.POSITIVE_INFINITY : request.limit;
      return persistence.loadJson(request.key, limit).then((snapshot) => toText(snapshot, limit));
    }
    case 'settle':
      return persistence.settle(request.key).then(() => null);
    case 'loaded': {
      const revision: unknown = request.revision;
      if (revision !== null && typeof revision !== 'string') {
        throw new TypeError('loaded: revision must be a string or null');
      }
      persistence.adoptLoaded(request.key, revision);
      return Promise.resolve(null);
    }
    case 'write':
      // The persistence validates the delta's fields as for any caller, and stores the staged
      // texts as is (no parse, no second stringify).
      return persistence
        .writeJson(request.key, {
          resourceVersion: request.resourceVersion,
          upserts,
          deletes: request.deletes,
          replace: request.replace,
        })
        .then(() => null);
    case 'drop':
      return persistence.drop(request.key).then(() => null);
    case 'clearContext':
      return persistence.clearContext(request.context).then(() => null);
    case 'flush':
      return persistence.flush().then(() => null);
    case 'close':
      return persistence.close().then(() => null);
  }
}

function isStage(data: unknown): data is StageMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Partial<StageMessage>;
  return message.op === 'stage';
}

/**
 * Append one stage message's [key, JSON] pairs to staged, unparsed; a TypeError says what is wrong
 * (the persistence checks each pair again when the write comes).
 */
function stage(staged: Array<[string, string]>, message: StageMessage): void {
  const { keys, items } = message as { keys: unknown; items: unknown };
  if (!Array.isArray(keys) || !Array.isArray(items) || keys.length !== items.length) {
    throw new TypeError('stage: keys and items must be arrays of the same length');
  }
  for (let i = 0; i < keys.length; i++) {
    const key: unknown = keys[i];
    const json: unknown = items[i];
    if (typeof key !== 'string' || typeof json !== 'string') {
      throw new TypeError(`stage: entry ${i} must be a key string and a JSON text`);
    }
    staged.push([key, json]);
  }
}

/**
 * Each chunk's stored texts, posted as read: no parse (the worker never builds the objects the page
 * will build anyway) and no join (a copy of every text). With a finite limit, only the first
 * `limit` objects are kept.
 */
function toText(snapshot: JsonCacheSnapshot | undefined, limit: number): CacheText | null {
  if (!snapshot) return null;
  const chunks: string[][] = [];
  let left = limit;
  for (const items of snapshot.chunks) {
    if (left <= 0) break;
    const kept = items.length > left ? items.slice(0, left) : items;
    left -= kept.length;
    chunks.push(kept);
  }
  const { resourceVersion, writtenAt, count } = snapshot;
  return { resourceVersion, writtenAt, count, chunks };
}
