// The page's half of a write (BR-08, issue 5): a delta's upserts go to the persistence worker as
// JSON text in 'stage' messages of at most sliceSize objects, the page getting a turn every few
// ms, so a relist of 50,000 objects is many short tasks rather than one long one. Secret
// values are stripped first: nothing secret leaves the page for storage.
import type { KubeObject } from '../../kube/api/types.ts';
import type { CacheKey } from '../../kube/cache/persistence.ts';
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
}

/** Post upserts, Secrets stripped, as stage messages, in order. The objects are not modified. */
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
    const slice = upserts
      .slice(start, start + options.sliceSize)
      .map((obj) => stripSecretData(obj, resource));
    post({ op: 'stage', text: stringifySlice(slice, options.onUnserializable) });
  }
}

/** One slice as a JSON array; if it cannot be stringified whole, object by object, skipping the bad. */
function stringifySlice(slice: KubeObject[], onUnserializable: (error: unknown) => void): string {
  try {
    return JSON.stringify(slice);
  } catch {
    // Cycles or BigInts cannot come from the API server; skip the object, not the batch.
    const parts: string[] = [];
    for (const obj of slice) {
      try {
        parts.push(JSON.stringify(obj));
      } catch (err) {
        onUnserializable(err);
      }
    }
    return `[${parts.join(',')}]`;
  }
}
