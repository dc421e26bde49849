// The durable identity of one informer cache (BR-08): every field of the CacheKey, in a fixed
// order, so that no two keys share storage. Switching context, server, user, GVR, namespace or
// selectors never reuses another cache's data.
import type { CacheKey } from '../kube/cache/persistence.ts';

const FIELDS = [
  'context',
  'server',
  'user',
  'group',
  'version',
  'resource',
  'namespace',
  'labelSelector',
  'fieldSelector',
] as const satisfies readonly (keyof CacheKey)[];

/**
 * A string id for key. JSON of the field array, so separators inside values (a selector with a
 * comma, a URL with a slash) cannot make two different keys collide. Throws a TypeError naming
 * the field when a field is not a string.
 */
export function cacheKeyId(key: CacheKey): string {
  if (typeof key !== 'object' || key === null) throw new TypeError('cache key must be an object');
  const values = FIELDS.map((field) => {
    const value: unknown = key[field];
    if (typeof value !== 'string') {
      throw new TypeError(`cache key field ${field} must be a string, got ${typeof value}`);
    }
    return value;
  });
  return JSON.stringify(values);
}

/** A copy of key holding exactly the CacheKey fields (extra properties are not persisted). */
export function normalizeCacheKey(key: CacheKey): CacheKey {
  return {
    context: key.context,
    server: key.server,
    user: key.user,
    group: key.group,
    version: key.version,
    resource: key.resource,
    namespace: key.namespace,
    labelSelector: key.labelSelector,
    fieldSelector: key.fieldSelector,
  };
}
