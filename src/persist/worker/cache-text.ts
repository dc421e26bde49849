// The JSON text in which a loaded cache crosses from the persistence worker to the page: each
// chunk as the array of its objects' stored JSON texts, posted as read (see persistence-protocol.ts
// for why text and not cloned objects). The page's half: parse a chunk, checking that it holds
// objects.
import type { KubeObject } from '../../kube/api/types.ts';
import { CorruptCacheError } from '../informer-cache-transactions.ts';

/**
 * The objects of one loaded chunk, one JSON text each. Throws CorruptCacheError when a text is not
 * a JSON object (a damaged record: the caller discards the stored cache), or the chunk not an
 * array of texts.
 */
export function parseChunkItems<T extends KubeObject>(items: readonly unknown[], what: string): T[] {
  if (!Array.isArray(items)) throw new CorruptCacheError(`a chunk of ${what} is not an array of texts`);
  const objects: T[] = [];
  for (const json of items) {
    if (typeof json !== 'string') throw new CorruptCacheError(`an object of ${what} is not JSON text`);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (err) {
      throw new CorruptCacheError(
        `an object of ${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new CorruptCacheError(`an object of ${what} is not a JSON object`);
    }
    objects.push(value as T);
  }
  return objects;
}
