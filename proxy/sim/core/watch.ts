// Starting a watch on one resource: which events it begins with, per the watch row of the
// Server RV semantics table (client-go-semantics.md §12) and the streaming-list protocol (R-30,
// WS-08): RV unset or "0" → synthetic ADDED of the current state, then live; RV N → replay of the
// history after N, or one 410 ERROR event when N is older than the history window (WS-07);
// sendInitialEvents=true → the current state, then a BOOKMARK annotated
// k8s.io/initial-events-end. Also wires bookmarks, timeoutSeconds, the request's AbortSignal and
// the listener registration, all released when the stream closes.
import type { KubeObject } from '../../../src/kube/api/types.ts';
import { type ListOptions, parseResourceVersion } from './list-options.ts';
import type { ResourceStore, StoreEvent } from './object-store.ts';
import { lowerBound } from './sorted-keys.ts';
import { expired, resourceVersionTooLarge } from './status.ts';
import { WatchStream } from './watch-stream.ts';

/** How long a watch from an RV the server has not reached waits for it (the cacher's 3 s). */
export const TOO_LARGE_WAIT_MS = 3000;

export interface WatchContext {
  currentRv: () => number;
  kind: string;
  apiVersion: string;
  bookmarkIntervalMs: number;
  bufferLimit: number;
  signal: AbortSignal;
  encodeObject?: (obj: KubeObject) => string;
  /** Close the stream after this long regardless (fault injection), if set. */
  dropAfterMs?: number;
}

/**
 * The objects a watch starts with, in key order like the watch cache's, and only the namespace's
 * key range for a namespaced watch (no scan of other namespaces).
 */
function currentObjects(store: ResourceStore, keyPrefix: string): KubeObject[] {
  const keys = store.keys.view();
  const end = keyPrefix === '' ? keys.length : lowerBound(keys, `${keyPrefix.slice(0, -1)}0`);
  const out: KubeObject[] = [];
  for (let i = keyPrefix === '' ? 0 : lowerBound(keys, keyPrefix); i < end; i++) {
    const obj = store.objects.get(keys[i] as string);
    if (obj !== undefined) out.push(obj);
  }
  return out;
}

/** Open a watch. Throws (before any stream exists) only for an RV the server has not reached with sendInitialEvents. */
export function openWatch(
  store: ResourceStore,
  namespace: string,
  opts: ListOptions,
  ctx: WatchContext,
): WatchStream {
  const current = ctx.currentRv();
  const rvText = opts.resourceVersion;
  const requested = rvText === '' || rvText === '0' ? undefined : parseResourceVersion(rvText);
  if (opts.sendInitialEvents === true && requested !== undefined && requested > current) {
    throw resourceVersionTooLarge(rvText, String(current));
  }
  const keyPrefix = store.namespaced && namespace !== '' ? `${namespace}/` : '';
  const stream = new WatchStream({
    kind: ctx.kind,
    apiVersion: ctx.apiVersion,
    keyPrefix,
    labelSelector: opts.labelSelector,
    fieldSelector: opts.fieldSelector,
    filtered: opts.hasSelectors,
    // Events at or below the starting point are never sent: a watch from N starts after N (even
    // an N the server has not reached yet: it then simply waits), any other watch after `current`.
    minRv: requested !== undefined && opts.sendInitialEvents !== true ? requested : current,
    bufferLimit: ctx.bufferLimit,
    ...(ctx.encodeObject ? { encodeObject: ctx.encodeObject } : {}),
  });

  if (opts.sendInitialEvents === true) {
    // The end bookmark goes only to clients that accept bookmarks (the cacher's isListWatchRequest).
    stream.setInitial(currentObjects(store, keyPrefix), opts.allowWatchBookmarks ? current : undefined);
  } else if (opts.sendInitialEvents === undefined && requested === undefined) {
    stream.setInitial(currentObjects(store, keyPrefix), undefined);
  } else if (requested !== undefined && requested <= current) {
    if (requested < store.horizon) {
      stream.fail(expired(`too old resource version: ${requested} (${store.horizon + 1})`).status);
      return stream;
    }
    // Replay synchronously, before registering: no event can slip in between (single thread).
    for (const ev of store.eventsAfter(requested)) stream.offer(ev, false);
  }

  if (requested !== undefined && requested > current && opts.sendInitialEvents !== true) {
    // The cacher waits a few seconds for an RV it has not reached, then gives up with "Too large
    // resource version" (TE-07): a client that remembers an RV from before the server was reset
    // then relists instead of waiting forever.
    const timer = setTimeout(() => {
      const now = ctx.currentRv();
      if (now < requested) stream.fail(resourceVersionTooLarge(rvText, String(now)).status);
    }, TOO_LARGE_WAIT_MS);
    stream.onClose(() => clearTimeout(timer));
  }

  const listener = (ev: StoreEvent) => stream.offer(ev);
  store.listeners.add(listener);
  stream.onClose(() => store.listeners.delete(listener));

  if (opts.allowWatchBookmarks && ctx.bookmarkIntervalMs > 0) {
    const timer = setInterval(() => stream.bookmark(ctx.currentRv()), ctx.bookmarkIntervalMs);
    stream.onClose(() => clearInterval(timer));
  }
  if (opts.timeoutSeconds !== undefined) {
    const timer = setTimeout(() => stream.close('timeout'), opts.timeoutSeconds * 1000);
    stream.onClose(() => clearTimeout(timer));
  }
  if (ctx.dropAfterMs !== undefined) {
    const timer = setTimeout(() => stream.close('server'), ctx.dropAfterMs);
    stream.onClose(() => clearTimeout(timer));
  }
  if (ctx.signal.aborted) {
    stream.close('abort');
  } else {
    const onAbort = () => stream.close('abort');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    stream.onClose(() => ctx.signal.removeEventListener('abort', onAbort));
  }
  return stream;
}
