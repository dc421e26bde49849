// A ListerWatcher (R-40) whose list and watch ask the RESTClient for server-side Table output, and
// hand the Reflector plain RowObjects (server cells + the row's object: its metadata, or the whole
// object where a view reads it, row-object-level.ts).
// The Reflector never sees a Table (R-19 would skip it). Column definitions arrive with the list
// and with watch events and are kept here, beside the rows they describe. Every raw watch event
// (BOOKMARK included, which store writes never reveal) is also reported to `tap` listeners: that is
// the watch-delta log's source.
import type {
  GroupVersionResource,
  KubeList,
  KubeObject,
  WatchEvent,
  WatchEventType,
} from '../kube/api/types.ts';
import type { ListerWatcher, ListHooks, ListOptions, Watch } from '../kube/cache/lister-watcher.ts';
import { ACCEPT_TABLE } from '../kube/rest/media-types.ts';
import { decodeObject, type RESTClient } from '../kube/rest/rest-client.ts';
import type { RowObjectLevel } from './row-object-level.ts';
import { isTable, type RowObject, rowObjectsOf, type TableColumnDefinition } from './server-table.ts';

export interface TableListerWatcherOptions {
  /** A RESTClient for one context (baseUrl /clusters/{context}); its streamFetch carries the watches. */
  client: RESTClient;
  gvr: GroupVersionResource;
  /** "" for all namespaces (or a cluster-scoped resource). */
  namespace: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** includeObject: PartialObjectMetadata rows (default) or full objects. */
  objectLevel?: RowObjectLevel;
  /** ms since epoch, for DeltaRecord.at; injected for tests. */
  now?: () => number;
}

/** One raw watch event as the delta log shows it. */
export interface DeltaRecord {
  type: WatchEventType;
  /** namespace/name, or "" for bookmarks and errors. */
  key: string;
  resourceVersion: string;
  /** ms since epoch when it arrived. */
  at: number;
}

export class TableListerWatcher implements ListerWatcher<RowObject> {
  readonly #opts: TableListerWatcherOptions;
  // Invariant: the most recent non-empty columnDefinitions the server sent; [] until the first list.
  #columns: readonly TableColumnDefinition[] = [];
  readonly #columnListeners = new Set<() => void>();
  readonly #taps = new Set<(e: DeltaRecord) => void>();

  constructor(opts: TableListerWatcherOptions) {
    this.#opts = opts;
  }

  columns(): readonly TableColumnDefinition[] {
    return this.#columns;
  }

  onColumns(listener: () => void): () => void {
    this.#columnListeners.add(listener);
    return () => this.#columnListeners.delete(listener);
  }

  tap(listener: (e: DeltaRecord) => void): () => void {
    this.#taps.add(listener);
    return () => this.#taps.delete(listener);
  }

  async list(options: ListOptions, signal: AbortSignal, hooks?: ListHooks): Promise<KubeList<RowObject>> {
    // onListMeta hands the Table's ListMeta (its continue token) over before the rows are parsed,
    // so the pager can ask for the next page meanwhile (pager.ts).
    const res = await this.#opts.client.request({
      ...this.#request(options),
      signal,
      ...(hooks?.onListMeta ? { onListMeta: hooks.onListMeta } : {}),
    });
    const body = decodeObject<unknown>(res);
    if (!isTable(body)) {
      throw new Error(`expected a meta.k8s.io/v1 Table for ${this.#describe()}, got ${describeKind(body)}`);
    }
    this.#setColumns(body.columnDefinitions);
    return { kind: 'List', apiVersion: 'v1', metadata: body.metadata ?? {}, items: rowObjectsOf(body) };
  }

  async watch(options: ListOptions, signal: AbortSignal): Promise<Watch<RowObject>> {
    const inner = await this.#opts.client.watch<KubeObject>({ ...this.#request(options), signal });
    const unwrap = (event: WatchEvent<KubeObject>) => this.#unwrap(event);
    const report = (event: WatchEvent<RowObject>) => this.#report(event);
    return {
      stop: () => inner.stop(),
      async *[Symbol.asyncIterator]() {
        for await (const raw of inner) {
          for (const event of unwrap(raw)) {
            report(event);
            yield event;
          }
        }
      },
    };
  }

  #request(options: ListOptions) {
    const { gvr, namespace, labelSelector, fieldSelector } = this.#opts;
    const listOptions: ListOptions = { ...options };
    if (labelSelector) listOptions.labelSelector = labelSelector;
    if (fieldSelector) listOptions.fieldSelector = fieldSelector;
    return {
      group: gvr.group,
      version: gvr.version,
      resource: gvr.resource,
      namespace,
      listOptions,
      query: { includeObject: this.#opts.objectLevel ?? 'Metadata' },
      accept: ACCEPT_TABLE,
    };
  }

  /** A Table event carries one row per object (or none for a bookmark); plain objects pass through. */
  #unwrap(event: WatchEvent<KubeObject>): WatchEvent<RowObject>[] {
    if (event.type === 'ERROR') return [event];
    const object = event.object;
    if (!isTable(object)) {
      // A server that ignores the Table Accept sends plain objects; a bookmark may be plain too.
      // metadata is kept whole: the initial-events-end annotation lives there (R-30).
      return [
        { type: event.type, object: { ...object, metadata: object.metadata ?? {}, cells: [], object } },
      ];
    }
    this.#setColumns(object.columnDefinitions);
    const rows = rowObjectsOf(object);
    if (rows.length > 0) return rows.map((row) => ({ type: event.type, object: row }));
    if (event.type !== 'BOOKMARK') return [];
    const metadata = { resourceVersion: object.metadata?.resourceVersion ?? '' };
    return [{ type: 'BOOKMARK', object: { metadata, cells: [], object: { metadata } } }];
  }

  #report(event: WatchEvent<RowObject>): void {
    if (this.#taps.size === 0) return;
    const meta = event.type === 'ERROR' ? undefined : event.object.metadata;
    const record: DeltaRecord = {
      type: event.type,
      key: meta?.name ? (meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name) : '',
      resourceVersion: meta?.resourceVersion ?? '',
      at: (this.#opts.now ?? Date.now)(),
    };
    for (const tap of this.#taps) tap(record);
  }

  #setColumns(defs: TableColumnDefinition[] | undefined): void {
    if (!defs || defs.length === 0) return;
    if (sameColumns(defs, this.#columns)) return;
    this.#columns = defs;
    for (const l of this.#columnListeners) l();
  }

  #describe(): string {
    const { gvr, namespace } = this.#opts;
    return `${gvr.resource}.${gvr.group || 'core'}/${gvr.version}${namespace ? ` in ${namespace}` : ''}`;
  }
}

function describeKind(body: unknown): string {
  const kind = typeof body === 'object' && body !== null ? (body as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' ? kind : typeof body;
}

function sameColumns(a: readonly TableColumnDefinition[], b: readonly TableColumnDefinition[]): boolean {
  return a.length === b.length && a.every((d, i) => d.name === b[i]?.name && d.priority === b[i]?.priority);
}
