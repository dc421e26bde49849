// The JSON text in which a loaded cache crosses from the persistence worker to the page, one
// JSON array per chunk (see persistence-protocol.ts for why text and not cloned objects). The
// page's half: parse a chunk, checking that it holds objects.
import type { KubeObject } from '../../kube/api/types.ts';
import { CorruptCacheError } from '../informer-cache-transactions.ts';

/**
 * The objects of one loaded chunk text. Throws CorruptCacheError when the text is not a JSON array
 * of objects (a damaged record: the caller discards the stored cache).
 */
export function parseChunkText<T extends KubeObject>(text: string, what: string): T[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CorruptCacheError(
      `a chunk of ${what} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!Array.isArray(value)) throw new CorruptCacheError(`a chunk of ${what} is not a JSON array`);
  for (const obj of value) {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      throw new CorruptCacheError(`an object of ${what} is not a JSON object`);
    }
  }
  return value as T[];
}
