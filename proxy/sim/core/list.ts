// List semantics of one resource: which state a list reads (Server RV semantics table of
// client-go-semantics.md §12), paging with continue tokens that pin every page to the first
// page's RV (PG-08), expiry of tokens and past RVs with 410 (PG-10), 504 for an RV the server has
// not reached yet (TE-07), selectors, and remainingItemCount.
import type { KubeObject } from '../../../src/kube/api/types.ts';
import { decodeContinue, encodeContinue } from './continue-token.ts';
import { type ListOptions, parseResourceVersion } from './list-options.ts';
import type { ResourceStore } from './object-store.ts';
import { lowerBound } from './sorted-keys.ts';
import { badRequest, expired, failure, resourceVersionTooLarge } from './status.ts';

export interface ListContext {
  /** The global RV now. */
  currentRv: number;
  now: number;
  continueTokenTtlMs: number;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

const CONTINUE_TOO_OLD =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/**
 * The state of a store at a past RV: the current objects with the changes made after `rv` undone.
 * `overlay` maps each key changed after `rv` to its value at `rv` (undefined: it did not exist).
 */
interface Snapshot {
  rv: number;
  overlay: Map<string, KubeObject | undefined>;
  /** Keys of the overlay, sorted, for merging into the store's key order. */
  overlayKeys: string[];
}

/** Rebuild the state at `rv`; the caller has checked rv >= store.horizon. */
function snapshotAt(store: ResourceStore, rv: number): Snapshot {
  const overlay = new Map<string, KubeObject | undefined>();
  for (const ev of store.eventsAfter(rv)) {
    if (!overlay.has(ev.key)) overlay.set(ev.key, ev.prev);
  }
  return { rv, overlay, overlayKeys: [...overlay.keys()].sort() };
}

/** etcd3's answer to an exact list below the compacted revision. */
function tooOldForExact(): never {
  throw expired('The resourceVersion for the provided list is too old.');
}

/** Decide which RV a list reads at, per the Server RV semantics table. */
function readRv(store: ResourceStore, opts: ListOptions, ctx: ListContext): number {
  const rvText = opts.resourceVersion;
  if (rvText === '' || rvText === '0') return ctx.currentRv; // most recent / any
  const rv = parseResourceVersion(rvText);
  const exact = opts.resourceVersionMatch === 'Exact' || (opts.resourceVersionMatch === '' && opts.limit > 0);
  if (rv > ctx.currentRv) throw resourceVersionTooLarge(rvText, String(ctx.currentRv));
  if (!exact) return ctx.currentRv; // not older than N: the latest state satisfies it
  if (rv < store.horizon) tooOldForExact();
  return rv;
}

/** List a resource, optionally within one namespace, according to `opts`. */
export function listStore(
  store: ResourceStore,
  namespace: string,
  opts: ListOptions,
  ctx: ListContext,
): ListResult {
  let rv: number;
  let start = '';
  if (opts.continue !== '') {
    if (opts.resourceVersion !== '' && opts.resourceVersion !== '0') {
      throw badRequest('specifying resource version is not allowed when using continue');
    }
    const token = decodeContinue(opts.continue);
    start = token.start;
    if (token.rv === -1) {
      rv = ctx.currentRv;
    } else {
      if (token.rv < store.horizon || ctx.now - token.issuedAt > ctx.continueTokenTtlMs) {
        const inconsistent = encodeContinue({ rv: -1, start: token.start, issuedAt: ctx.now });
        throw failure(410, 'Expired', CONTINUE_TOO_OLD, undefined, { continue: inconsistent });
      }
      if (token.rv > ctx.currentRv)
        throw badRequest('continue key is not valid: resource version is in the future');
      rv = token.rv;
    }
  } else {
    rv = readRv(store, opts, ctx);
  }

  const snap = rv < ctx.currentRv ? snapshotAt(store, rv) : undefined;
  const keys = store.keys.view();
  // The key range of one namespace: "ns/" up to (not including) "ns0" ('0' follows '/').
  const prefix = store.namespaced && namespace !== '' ? `${namespace}/` : '';
  const from = prefix > start ? prefix : start;
  const end = prefix === '' ? undefined : `${namespace}0`;
  let i = lowerBound(keys, from);
  const iEnd = end === undefined ? keys.length : lowerBound(keys, end);
  const overlayKeys = snap ? snap.overlayKeys : [];
  let j = lowerBound(overlayKeys, from);
  const jEnd = end === undefined ? overlayKeys.length : lowerBound(overlayKeys, end);

  const items: KubeObject[] = [];
  let lastKey: string | undefined;
  let more = false;
  // Merge the store's keys with keys that existed at `rv` but were deleted since (overlay).
  while (i < iEnd || j < jEnd) {
    const a = i < iEnd ? (keys[i] as string) : undefined;
    const b = j < jEnd ? (overlayKeys[j] as string) : undefined;
    let key: string;
    if (b === undefined || (a !== undefined && a < b)) {
      key = a as string;
      i++;
    } else {
      key = b;
      j++;
      if (a === b) i++;
    }
    if (opts.limit > 0 && items.length >= opts.limit) {
      more = true;
      break;
    }
    const obj = snap?.overlay.has(key) ? snap.overlay.get(key) : store.objects.get(key);
    lastKey = key;
    if (obj === undefined) continue;
    if (!opts.labelSelector.matches(obj.metadata?.labels as Record<string, string> | undefined)) continue;
    if (!opts.fieldSelector.matches(obj)) continue;
    items.push(obj);
  }

  const result: ListResult = { items, resourceVersion: String(rv) };
  if (more && lastKey !== undefined) {
    result.continue = encodeContinue({
      rv,
      start: `${lastKey}\u0000`,
      issuedAt: opts.continue !== '' ? decodeContinue(opts.continue).issuedAt : ctx.now,
    });
    if (!opts.hasSelectors) {
      // An estimate, as upstream documents: keys left in range in the current index.
      result.remainingItemCount = Math.max(0, iEnd - lowerBound(keys, `${lastKey}\u0000`));
    }
  }
  return result;
}
