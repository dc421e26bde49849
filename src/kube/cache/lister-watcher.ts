// ListerWatcher: the two calls a Reflector needs. Implementations wrap the RESTClient /
// DynamicClient; tests use fakes that need no network.
import type { KubeList, KubeObject, WatchEvent } from '../api/types.ts';

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

export interface ListerWatcher<T extends KubeObject = KubeObject> {
  list(options: ListOptions, signal: AbortSignal): Promise<KubeList<T>>;
  /** Resolves once the response headers arrived (a non-200 rejects with a StatusError, WS-10). */
  watch(options: ListOptions, signal: AbortSignal): Promise<Watch<T>>;
}
