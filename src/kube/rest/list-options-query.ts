// RC-02: metav1.ListOptions as query parameters. Unset or zero fields are omitted, as Go's query
// encoder omits zero values; sendInitialEvents is a *bool upstream, so an explicit false is sent.
import type { ListOptions } from '../cache/lister-watcher.ts';

export type QueryValue = string | number | boolean | undefined | null;

/** Append ListOptions (plus `watch` when asked) to params, in client-go's field order. */
export function appendListOptions(params: URLSearchParams, opts: ListOptions & { watch?: boolean }): void {
  if (opts.labelSelector) params.set('labelSelector', opts.labelSelector);
  if (opts.fieldSelector) params.set('fieldSelector', opts.fieldSelector);
  if (opts.watch) params.set('watch', 'true');
  if (opts.allowWatchBookmarks) params.set('allowWatchBookmarks', 'true');
  if (opts.resourceVersion) params.set('resourceVersion', opts.resourceVersion);
  if (opts.resourceVersionMatch) params.set('resourceVersionMatch', opts.resourceVersionMatch);
  if (opts.timeoutSeconds)
    params.set('timeoutSeconds', String(checkCount(opts.timeoutSeconds, 'timeoutSeconds')));
  if (opts.limit) params.set('limit', String(checkCount(opts.limit, 'limit')));
  if (opts.continue) params.set('continue', opts.continue);
  if (opts.sendInitialEvents !== undefined) params.set('sendInitialEvents', String(opts.sendInitialEvents));
}

/** Append free-form parameters, omitting undefined/null/''/false/0 like the typed fields above. */
export function appendQuery(params: URLSearchParams, query: Record<string, QueryValue> | undefined): void {
  if (!query) return;
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '' || value === false || value === 0) continue;
    params.set(key, String(value));
  }
}

function checkCount(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`${field} must be a non-negative integer, got ${value}`);
  return value;
}
