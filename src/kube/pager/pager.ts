// ListPager (client-go tools/pager): turns a paged list API into one list, or into a stream of
// items, with the server-side consistency rules of PG-01..08:
// - every page after the first sends only `continue`: resourceVersion and resourceVersionMatch are
//   cleared, because the server rejects an RV sent together with a continue token (PG-04);
// - an expired continue token (410) falls back to ONE unpaged list at the caller's original RV
//   when fullListIfExpired is set (PG-05); an expiry on the first page is the caller's problem.
import type { KubeList, KubeObject } from '../api/types.ts';
import type { ListOptions } from '../cache/lister-watcher.ts';
import { isExpiredOrGone } from '../rest/status-error.ts';

export type ListPageFunc<T extends KubeObject> = (
  options: ListOptions,
  signal: AbortSignal,
) => Promise<KubeList<T>>;

export interface ListPagerOptions {
  /** PG-01: 500 (the client-go default kube-rs also copies); 0 means one unpaged request. */
  pageSize?: number;
  /** PG-01: pages buffered ahead of the consumer in eachListItem (default 10). */
  pageBufferSize?: number;
  /** PG-01/PG-05: default true. */
  fullListIfExpired?: boolean;
}

export interface PagedListResult<T extends KubeObject> {
  list: KubeList<T>;
  /** PG-04: true when more than one page was requested. */
  paginated: boolean;
}

export class ListPager<T extends KubeObject = KubeObject> {
  readonly pageSize: number;
  readonly pageBufferSize: number;
  readonly fullListIfExpired: boolean;
  readonly #pageFn: ListPageFunc<T>;

  constructor(pageFn: ListPageFunc<T>, opts: ListPagerOptions = {}) {
    this.#pageFn = pageFn;
    this.pageSize = opts.pageSize ?? 500;
    this.pageBufferSize = opts.pageBufferSize ?? 10;
    this.fullListIfExpired = opts.fullListIfExpired ?? true;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 0)
      throw new RangeError(`pageSize must be >= 0, got ${this.pageSize}`);
    if (!Number.isInteger(this.pageBufferSize) || this.pageBufferSize < 1) {
      throw new RangeError(`pageBufferSize must be >= 1, got ${this.pageBufferSize}`);
    }
  }

  /** PG-02..05: the whole list, page by page. */
  async list(options: ListOptions, signal: AbortSignal): Promise<PagedListResult<T>> {
    let result: KubeList<T> | undefined;
    const paginated = await this.#eachPage(
      options,
      signal,
      (page) => {
        if (!result) {
          // PG-03: the first page's RV describes the whole snapshot (PG-08).
          result = { ...page, metadata: { ...page.metadata }, items: [...page.items] };
        } else {
          for (const item of page.items) result.items.push(item);
        }
      },
      (full) => {
        result = full;
      },
    );
    const list = result!;
    if (paginated) {
      delete list.metadata.continue;
      delete list.metadata.remainingItemCount;
    }
    return { list, paginated };
  }

  /**
   * PG-07: call fn for every item, page by page. Pages are fetched ahead into a buffer of at most
   * pageBufferSize pages; an error from fn (or from a page) stops the paging and is thrown.
   */
  async eachListItem(
    options: ListOptions,
    fn: (item: T) => void | Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const producerAbort = new AbortController();
    const inner = AbortSignal.any([signal, producerAbort.signal]);
    const buffer: T[][] = [];
    let done = false;
    let failure: { err: unknown } | undefined;
    // Wakes whichever side waits: the consumer for a page, the producer for free buffer space.
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const waitForChange = () =>
      new Promise<void>((resolve) => {
        wake = resolve;
      });

    const producer = (async () => {
      const push = async (items: T[]) => {
        while (buffer.length >= this.pageBufferSize && !inner.aborted) await waitForChange();
        buffer.push(items);
        notify();
      };
      try {
        await this.#eachPage(
          options,
          inner,
          (page) => push(page.items),
          (full) => push(full.items),
        );
      } catch (err) {
        if (!failure) failure = { err };
      } finally {
        done = true;
        notify();
      }
    })();

    try {
      for (;;) {
        const page = buffer.shift();
        if (page) {
          notify();
          for (const item of page) {
            if (signal.aborted) throw signal.reason;
            await fn(item);
          }
          continue;
        }
        if (failure) throw failure.err;
        if (done) break;
        await waitForChange();
      }
    } catch (err) {
      producerAbort.abort(err);
      notify();
      throw err;
    } finally {
      await producer;
    }
  }

  /**
   * Request pages until the continue token is empty, handing each to onPage (awaited, so a slow
   * consumer throttles the producer). Returns whether more than one page was requested.
   * onFullList receives the PG-05 fallback result instead.
   */
  async #eachPage(
    options: ListOptions,
    signal: AbortSignal,
    onPage: (page: KubeList<T>) => void | Promise<void>,
    onFullList: (list: KubeList<T>) => void | Promise<void>,
  ): Promise<boolean> {
    const opts: ListOptions = { ...options };
    if (!opts.limit) opts.limit = this.pageSize; // PG-02 (pageSize 0 leaves it unpaged)
    if (!opts.limit) delete opts.limit;
    let paginated = false;
    for (;;) {
      // PG-06: cancellation is checked before each page.
      if (signal.aborted) throw signal.reason;
      let page: KubeList<T>;
      try {
        page = await this.#pageFn({ ...opts }, signal);
      } catch (err) {
        // PG-05: only an expired *continuation* falls back to one full list.
        if (!opts.continue || !this.fullListIfExpired || !isExpiredOrGone(err)) throw err;
        const full: ListOptions = {
          ...options,
          resourceVersion: options.resourceVersion,
          resourceVersionMatch: options.resourceVersionMatch,
        };
        delete full.limit;
        delete full.continue;
        if (full.resourceVersion === undefined) delete full.resourceVersion;
        if (full.resourceVersionMatch === undefined) delete full.resourceVersionMatch;
        if (signal.aborted) throw signal.reason;
        await onFullList(await this.#pageFn(full, signal));
        return paginated;
      }
      if (!page || !Array.isArray(page.items))
        throw new TypeError('ListPager: a page must be a list with items');
      await onPage(page);
      const token = page.metadata?.continue;
      if (!token) return paginated;
      // PG-04: continue alone; the RV of the snapshot travels inside the token.
      opts.continue = token;
      delete opts.resourceVersion;
      delete opts.resourceVersionMatch;
      paginated = true;
    }
  }
}
