// Where a Table informer's rows are kept between page loads (BR-08 warm start): the objects go
// through the shared InformerPersistence (IndexedDB), the column definitions (a few hundred bytes
// the rows cannot be drawn without) through a small key-value Storage.
//
// Table rows are not plain objects, so their CacheKey must never equal the key of a plain-object
// informer of the same GVR: the version carries the representation (`v1;as=Table;object=Metadata`,
// row-object-level.ts), so rows cached with another includeObject are never mixed in. Group and
// resource stay exact, so the persistence layer's Secret handling still recognises secrets; Secret
// rows are never persisted at all (their object sits one level down, out of that stripping's reach).
import type { CacheKey } from '../kube/cache/persistence.ts';
import { type NormalizedInformerKey, normalizeInformerKey } from '../kube/cache/shared-informer-factory.ts';
import { rowObjectLevel } from './row-object-level.ts';
import type { TableColumnDefinition } from './server-table.ts';
import type { ColumnMemory, TableSourceKey } from './table-source-registry.ts';

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
    version: `${gvr.version};as=Table;object=${rowObjectLevel(gvr, fieldSelector)}`,
    resource: gvr.resource,
    namespace,
    labelSelector,
    fieldSelector,
  };
}

function columnsId(key: CacheKey): string {
  return `kubeglass.columns:${JSON.stringify([key.context, key.server, key.group, key.version, key.resource])}`;
}

/**
 * Column memory in a key-value Storage (localStorage), under the key's cluster identity. Keys
 * without a cache key (Secrets, unknown contexts) are not remembered. Storage failures (quota,
 * privacy mode, unreadable JSON) mean "no columns until the first list", never an error.
 */
export function localStorageColumns(
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined,
  cacheKeyFor: (key: NormalizedInformerKey) => CacheKey | undefined,
): ColumnMemory {
  const id = (key: TableSourceKey) => {
    const cacheKey = cacheKeyFor(normalizeInformerKey(key));
    return cacheKey ? columnsId(cacheKey) : undefined;
  };
  return {
    load(key) {
      try {
        const name = id(key);
        const text = name ? storage?.getItem(name) : null;
        const parsed: unknown = text ? JSON.parse(text) : [];
        return Array.isArray(parsed)
          ? parsed.filter((c): c is TableColumnDefinition => typeof c?.name === 'string')
          : [];
      } catch {
        return [];
      }
    },
    save(key, columns) {
      try {
        const name = id(key);
        if (name) storage?.setItem(name, JSON.stringify(columns));
      } catch {
        // quota or privacy mode: columns come with the next list anyway
      }
    },
  };
}
