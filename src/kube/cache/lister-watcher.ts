// ListerWatcher: the two calls a Reflector needs. Implementations wrap the RESTClient /
// DynamicClient; tests use fakes that need no network.
import type { KubeList, KubeObject, ListMeta, WatchEvent } from '../api/types.ts';

/** metav1.ListOptions as query parameters (RC-02). Unset fields are omitted from the request. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  limit?: number;
  continue?: string;
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
}

/**
 * An open watch (WS-*). Iterate it to receive events in stream order (WS-04); iteration ends
 * cleanly at end of body or after a synthetic ERROR event for a decode failure (WS-05, WS-06).
 * stop() aborts the request; no event is delivered after it (WS-09).
 */
export interface Watch<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  stop(): void;
}

/**
 * Optional hooks of one list call. An implementation may ignore them (fakes do): they only let the
 * pager fetch ahead (pager.ts), never change what the list returns.
 */
export interface ListHooks {
  /** The page's ListMeta as soon as the start of the response holds it, before the items are parsed. */
  onListMeta?: (meta: ListMeta) => void;
}

export interface ListerWatcher<T extends KubeObject = KubeObject> {
  list(options: ListOptions, signal: AbortSignal, hooks?: ListHooks): Promise<KubeList<T>>;
  /** Resolves once the response headers arrived (a non-200 rejects with a StatusError, WS-10). */
  watch(options: ListOptions, signal: AbortSignal): Promise<Watch<T>>;
}
