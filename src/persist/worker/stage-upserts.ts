// The page's half of a write (BR-08, issue 5): a delta's upserts go to the persistence worker as
// JSON texts, one per object with its namespace/name key (which the worker stores as is), in
// 'stage' messages of at most sliceSize objects, the page getting a turn every few ms, so a relist
// of 50,000 objects is many short tasks rather than one long one. Secret values are stripped
// first: nothing secret leaves the page for storage.
import type { KubeObject } from '../../kube/api/types.ts';
import type { CacheKey } from '../../kube/cache/persistence.ts';
import { metaNamespaceKeyFunc } from '../../kube/cache/store.ts';
import { stripSecretData } from '../strip-secret-data.ts';
import type { StageMessage } from './persistence-protocol.ts';

/**
 * Objects per stage message: small enough that one JSON.stringify stays a few ms even for 4 KiB
 * pods on a loaded machine (a 500-object slice made 100 ms tasks there), large enough that the
 * per-message cost is negligible.
 */
export const DEFAULT_SLICE_SIZE = 100;
/**
 * The page gets a turn once staging has run this long (ms) since the last one: short enough to
 * keep tasks well under a 50 ms long task, long enough not to pay a macrotask per slice.
 */
export const DEFAULT_STAGE_BUDGET_MS = 8;

export interface StageOptions {
  sliceSize: number;
  /** Staging time (ms, by now()) after which the page gets a turn before the next slice. */
  budgetMs: number;
  now: () => number;
  /** Awaited between slices once budgetMs is spent: lets the page render and handle input. */
  yieldToPage: () => Promise<void>;
  /** Told about an object that cannot be stringified (it is skipped, the rest are written). */
  onUnserializable: (error: unknown) => void;
  /** Told about an object without metadata.name (it cannot be keyed; it is skipped). */
  onUnkeyable: (error: unknown) => void;
}

/**
 * Post upserts, Secrets stripped, as stage messages of one JSON text per object with its
 * namespace/name key, in order. The objects are not modified. An object without metadata.name
 * cannot be keyed and is skipped (onUnkeyable), like one that cannot be stringified.
 */
export async function stageUpserts(
  upserts: readonly KubeObject[],
  resource: Pick<CacheKey, 'group' | 'resource'>,
  post: (message: StageMessage) => void,
  options: StageOptions,
): Promise<void> {
  let since = options.now();
  for (let start = 0; start < upserts.length; start += options.sliceSize) {
    if (start > 0 && options.now() - since >= options.budgetMs) {
      await options.yieldToPage();
      since = options.now();
    }
    const keys: string[] = [];
    const items: string[] = [];
    const end = Math.min(upserts.length, start + options.sliceSize);
    for (let i = start; i < end; i++) {
      const obj = upserts[i] as KubeObject;
      let key: string;
      try {
        key = metaNamespaceKeyFunc(obj);
      } catch (err) {
        options.onUnkeyable(err);
        continue;
      }
      let json: string;
      try {
        json = JSON.stringify(stripSecretData(obj, resource));
      } catch (err) {
        // Cycles or BigInts cannot come from the API server; skip the object, not the batch.
        options.onUnserializable(err);
        continue;
      }
      keys.push(key);
      items.push(json);
    }
    if (keys.length > 0) post({ op: 'stage', keys, items });
  }
}
