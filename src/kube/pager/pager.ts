// ListPager (client-go tools/pager): turns a paged list API into one list, or into a stream of
// items, with the server-side consistency rules of PG-01..08:
// - every page after the first sends only `continue`: resourceVersion and resourceVersionMatch are
//   cleared, because the server rejects an RV sent together with a continue token (PG-04);
// - an expired continue token (410) falls back to ONE unpaged list at the caller's original RV
//   when fullListIfExpired is set (PG-05); an expiry on the first page is the caller's problem.
import type { KubeList, KubeObject, ListMeta } from '../api/types.ts';
import type { ListHooks, ListOptions } from '../cache/lister-watcher.ts';
import { isExpiredOrGone } from '../rest/status-error.ts';

/** One page. `hooks` is optional to honour; honouring onListMeta lets the pager fetch ahead. */
export type ListPageFunc<T extends KubeObject> = (
  options: ListOptions,
  signal: AbortSignal,
  hooks?: ListHooks,
) => Promise<KubeList<T>>;

export interface ListPagerOptions {
  /** PG-01: 500 (the client-go default kube-rs also copies); 0 means one unpaged request. */
  pageSize?: number;
  /** PG-01: pages buffered ahead of the consumer in eachListItem (default 10). */
  pageBufferSize?: number;
  /**
   * Pages requested ahead of the one being received, when the page function reports ListMeta
   * early (fetch-ahead, see #eachPage). Default 1: the next page travels while this one is read
   * and parsed. More does not help: pages sharing one link arrive more slowly each, and they are
   * consumed in order, so the page needed next would only arrive later. 0 turns fetch-ahead off.
   */
  fetchAheadPages?: number;
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
  readonly fetchAheadPages: number;
  readonly fullListIfExpired: boolean;
  readonly #pageFn: ListPageFunc<T>;

  constructor(pageFn: ListPageFunc<T>, opts: ListPagerOptions = {}) {
    this.#pageFn = pageFn;
    this.pageSize = opts.pageSize ?? 500;
    this.pageBufferSize = opts.pageBufferSize ?? 10;
    this.fetchAheadPages = opts.fetchAheadPages ?? 1;
    this.fullListIfExpired = opts.fullListIfExpired ?? true;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 0)
      throw new RangeError(`pageSize must be >= 0, got ${this.pageSize}`);
    if (!Number.isInteger(this.pageBufferSize) || this.pageBufferSize < 1) {
      throw new RangeError(`pageBufferSize must be >= 1, got ${this.pageBufferSize}`);
    }
    if (!Number.isInteger(this.fetchAheadPages) || this.fetchAheadPages < 0) {
      throw new RangeError(`fetchAheadPages must be >= 0, got ${this.fetchAheadPages}`);
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
   * Request pages until the continue token is empty, handing each to onPage in order (awaited, so
   * a slow consumer throttles the producer). Returns whether more than one page was requested.
   * onFullList receives the PG-05 fallback result instead.
   *
   * Fetch-ahead (fetchAheadPages): the page function may report a page's ListMeta as soon as the
   * start of its body arrived (ListHooks.onListMeta). The next page is then requested at once,
   * while this one is still downloading and being parsed, so the server's and the network's time
   * overlaps ours. Invariants: requests go out in page order, each with the continue token of the
   * page before it (PG-04); pages reach onPage in that order; at most 1 + fetchAheadPages requests
   * are outstanding (requested, not yet handed to onPage); a page is used only if the token it was
   * requested with equals its predecessor's parsed continue token, otherwise it is discarded and
   * that page asked again. Any failure or return aborts every request still outstanding.
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
    /** PG-04: continue alone; the RV of the snapshot travels inside the token. */
    const continueOptions = (token: string): ListOptions => {
      const next: ListOptions = { ...opts, continue: token };
      delete next.resourceVersion;
      delete next.resourceVersionMatch;
      return next;
    };
    // Requests in page order: the head is the page onPage gets next.
    const outstanding: PageRequest<T>[] = [];
    const start = (pageOptions: ListOptions): PageRequest<T> => {
      const abort = new AbortController();
      const request: PageRequest<T> = {
        token: pageOptions.continue,
        abort,
        meta: undefined,
        result: NOT_STARTED,
      };
      // Queued before the call: a page function may report its metadata synchronously.
      outstanding.push(request);
      const hooks: ListHooks = {
        onListMeta: (meta) => {
          request.meta = meta;
          fetchAhead();
        },
      };
      try {
        request.result = this.#pageFn(pageOptions, AbortSignal.any([signal, abort.signal]), hooks);
      } catch (err) {
        request.result = Promise.reject(err);
      }
      // Awaited in order by the loop below; until then a failure must not count as unhandled.
      request.result.catch(() => {});
      return request;
    };
    /** Request the page after the newest one, if its token is known and there is room. */
    const fetchAhead = () => {
      const newest = outstanding[outstanding.length - 1];
      const token = newest?.meta?.continue;
      // PG-06: nothing new is requested once cancelled. Once the list has ended nothing is
      // outstanding, so a late report from a request aborted then starts nothing either.
      if (!token || signal.aborted || outstanding.length > this.fetchAheadPages) return;
      start(continueOptions(token));
    };
    const abortAll = (reason: unknown) => {
      for (const request of outstanding.splice(0)) request.abort.abort(reason);
    };

    let paginated = false;
    try {
      // PG-06: cancellation is checked before each page.
      if (signal.aborted) throw signal.reason;
      start({ ...opts });
      for (;;) {
        const request = outstanding[0]!;
        let page: KubeList<T>;
        try {
          page = await request.result;
        } catch (err) {
          // PG-05: only an expired *continuation* falls back to one full list.
          if (!request.token || !this.fullListIfExpired || !isExpiredOrGone(err)) throw err;
          abortAll(new DOMException('list fell back to a full list', 'AbortError'));
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
        outstanding.shift();
        const token = page.metadata?.continue;
        const next = outstanding[0];
        if (next !== undefined && next.token !== token) {
          // The early metadata disagreed with the parsed page: drop what was fetched on its word.
          abortAll(new DOMException('fetched ahead with a stale continue token', 'AbortError'));
        }
        await onPage(page);
        if (!token) return paginated;
        paginated = true;
        // PG-06: cancellation is checked before each page.
        if (signal.aborted) throw signal.reason;
        if (outstanding.length === 0) start(continueOptions(token));
        else fetchAhead(); // room was freed: the newest page's successor may go out now
      }
    } finally {
      abortAll(new DOMException('list ended', 'AbortError'));
    }
  }
}

/** Placeholder until a request's page function has been called (never awaited). */
const NOT_STARTED: Promise<never> = new Promise<never>(() => {});

/** One page request of #eachPage. */
interface PageRequest<T extends KubeObject> {
  /** The continue token it was sent with; undefined for the first page. */
  readonly token: string | undefined;
  readonly abort: AbortController;
  /** Its ListMeta, once the start of its body reported it. */
  meta: ListMeta | undefined;
  result: Promise<KubeList<T>>;
}
