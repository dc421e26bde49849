// Where a Table informer's rows are kept between page loads (BR-08 warm start): the objects go
// through the shared InformerPersistence (IndexedDB), the column definitions (a few hundred bytes
// the rows cannot be drawn without) through a small key-value Storage.
//
// Table rows are not plain objects, so their CacheKey must never equal the key of a plain-object
// informer of the same GVR: the version carries the representation (`v1;as=Table`). Group and
// resource stay exact, so the persistence layer's Secret handling still recognises secrets; Secret
// rows are never persisted at all (their object sits one level down, out of that stripping's reach).
import type { CacheKey, InformerPersistence } from '../kube/cache/persistence.ts';
import type { TableColumnDefinition } from './server-table.ts';

export interface RowCache {
  persistence: InformerPersistence;
  key: CacheKey;
  /** localStorage in the browser; absent in tests that do not need columns. */
  columns?: Pick<Storage, 'getItem' | 'setItem'>;
}

export interface RowCacheIdentity {
  context: string;
  server: string;
  user: string;
}

export function rowCacheKey(
  identity: RowCacheIdentity,
  gvr: { group: string; version: string; resource: string },
  namespace: string,
  labelSelector: string,
  fieldSelector: string,
): CacheKey | undefined {
  if (gvr.group === '' && gvr.resource === 'secrets') return undefined;
  return {
    context: identity.context,
    server: identity.server,
    user: identity.user,
    group: gvr.group,
    version: `${gvr.version};as=Table`,
    resource: gvr.resource,
    namespace,
    labelSelector,
    fieldSelector,
  };
}

function columnsId(key: CacheKey): string {
  return `kubeglass.columns:${JSON.stringify([key.context, key.server, key.group, key.version, key.resource])}`;
}

export function loadColumns(cache: RowCache): TableColumnDefinition[] {
  try {
    const text = cache.columns?.getItem(columnsId(cache.key));
    const parsed: unknown = text ? JSON.parse(text) : [];
    return Array.isArray(parsed)
      ? parsed.filter((c): c is TableColumnDefinition => typeof c?.name === 'string')
      : [];
  } catch {
    return []; // unreadable storage: no columns until the first list
  }
}

export function saveColumns(cache: RowCache, columns: readonly TableColumnDefinition[]): void {
  try {
    cache.columns?.setItem(columnsId(cache.key), JSON.stringify(columns));
  } catch {
    // quota or privacy mode: columns come with the next list anyway
  }
}
