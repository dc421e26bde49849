// a ListerWatcher for one resource, namespace and selector set, over the DynamicClient.
// list and watch use the same options; watch forces watch=true (the client's watch() does); the
// tweak hook applies to both calls, so a selector added there can never differ between them.
import type { GroupVersionResource, KubeObject } from '../api/types.ts';
import type { DynamicClient } from '../dynamic/dynamic-client.ts';
import type { ListerWatcher, ListOptions } from './lister-watcher.ts';

export interface ListWatchOptions {
  /** "" or unset: all namespaces (or a cluster-scoped resource). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Edits the options of both calls (client-go's TweakListOptionsFunc); it gets a copy. */
  tweak?: (options: ListOptions) => void;
}

export function listWatchFor<T extends KubeObject = KubeObject>(
  client: DynamicClient,
  gvr: GroupVersionResource,
  opts: ListWatchOptions = {},
): ListerWatcher<T> {
  const base = client.resource<T>(gvr);
  const resource = opts.namespace ? base.namespace(opts.namespace) : base;
  const prepare = (options: ListOptions): ListOptions => {
    const out: ListOptions = { ...options };
    if (opts.labelSelector) out.labelSelector = opts.labelSelector;
    if (opts.fieldSelector) out.fieldSelector = opts.fieldSelector;
    opts.tweak?.(out);
    return out;
  };
  return {
    list: (options, signal, hooks) =>
      resource.list({
        ...prepare(options),
        signal,
        ...(hooks?.onListMeta ? { onListMeta: hooks.onListMeta } : {}),
      }),
    watch: (options, signal) => resource.watch({ ...prepare(options), signal }),
  };
}
