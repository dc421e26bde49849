import { describe, expect, it } from 'vitest';
import type { KubeList, KubeObject } from '../api/types.ts';
import type { ListOptions } from '../cache/lister-watcher.ts';
import { StatusError } from '../rest/status-error.ts';
import { ListPager } from './pager.ts';

const item = (i: number): KubeObject => ({ metadata: { name: `p${i}` } });

/** A fake paged server over `total` items, recording each request's options. */
function pagedServer(total: number, opts: { expireAfterPages?: number } = {}) {
  const calls: ListOptions[] = [];
  const fn = async (o: ListOptions): Promise<KubeList> => {
    calls.push(o);
    if (o.continue && o.resourceVersion)
      throw new StatusError({ status: 'Failure', code: 400, reason: 'BadRequest' });
    const start = o.continue ? Number(o.continue) : 0;
    if (opts.expireAfterPages !== undefined && o.continue && calls.length > opts.expireAfterPages) {
      throw new StatusError({ status: 'Failure', code: 410, reason: 'Expired', message: 'continue expired' });
    }
    const end = o.limit ? Math.min(total, start + o.limit) : total;
    const items = Array.from({ length: end - start }, (_, k) => item(start + k));
    return {
      kind: 'PodList',
      metadata: {
        resourceVersion: o.continue ? 'later' : '100',
        ...(end < total ? { continue: String(end), remainingItemCount: total - end } : {}),
      },
      items,
    };
  };
  return { calls, fn };
}

const signal = () => new AbortController().signal;

describe('ListPager (PG-*)', () => {
  it('PG-01 / PG-02: default page size 500 is used when limit is 0', async () => {
    const s = pagedServer(3);
    const pager = new ListPager(s.fn);
    expect(pager.pageSize).toBe(500);
    expect(pager.pageBufferSize).toBe(10);
    expect(pager.fullListIfExpired).toBe(true);
    const { list, paginated } = await pager.list({ resourceVersion: '0' }, signal());
    expect(s.calls[0]).toEqual({ resourceVersion: '0', limit: 500 });
    expect(list.items).toHaveLength(3);
    expect(paginated).toBe(false);
  });

  it('PG-02: page size 0 makes one unpaged request', async () => {
    const s = pagedServer(1200);
    const { list } = await new ListPager(s.fn, { pageSize: 0 }).list({}, signal());
    expect(s.calls).toEqual([{}]);
    expect(list.items).toHaveLength(1200);
  });

  it('PG-03 / PG-04: pages are joined; continuations clear RV and RV match; RV comes from page one', async () => {
    const s = pagedServer(1200);
    const { list, paginated } = await new ListPager(s.fn).list(
      { resourceVersion: '50', resourceVersionMatch: 'NotOlderThan', labelSelector: 'a=b' },
      signal(),
    );
    expect(paginated).toBe(true);
    expect(list.items.map((i) => i.metadata?.name)).toEqual(Array.from({ length: 1200 }, (_, i) => `p${i}`));
    expect(list.metadata.resourceVersion).toBe('100');
    expect(list.metadata.continue).toBeUndefined();
    expect(s.calls).toEqual([
      { resourceVersion: '50', resourceVersionMatch: 'NotOlderThan', labelSelector: 'a=b', limit: 500 },
      { labelSelector: 'a=b', limit: 500, continue: '500' },
      { labelSelector: 'a=b', limit: 500, continue: '1000' },
    ]);
  });

  it('PG-05: an expired continuation falls back to one full list at the original RV', async () => {
    const s = pagedServer(1200, { expireAfterPages: 1 });
    const { list, paginated } = await new ListPager(s.fn).list(
      { resourceVersion: '50', resourceVersionMatch: 'NotOlderThan' },
      signal(),
    );
    expect(s.calls.at(-1)).toEqual({ resourceVersion: '50', resourceVersionMatch: 'NotOlderThan' });
    expect(list.items).toHaveLength(1200);
    expect(paginated).toBe(true);
  });

  it('PG-05: with fullListIfExpired=false, or on the first page, expiry is an error', async () => {
    const s = pagedServer(1200, { expireAfterPages: 1 });
    await expect(new ListPager(s.fn, { fullListIfExpired: false }).list({}, signal())).rejects.toMatchObject({
      reason: 'Expired',
    });
    const first = async (): Promise<KubeList> => {
      throw new StatusError({ status: 'Failure', code: 410, reason: 'Expired' });
    };
    let calls = 0;
    await expect(
      new ListPager(async () => {
        calls++;
        return first();
      }).list({}, signal()),
    ).rejects.toMatchObject({ reason: 'Expired' });
    expect(calls).toBe(1);
  });

  it('PG-06: cancellation is checked before each page', async () => {
    const ac = new AbortController();
    const s = pagedServer(1200);
    const fn = async (o: ListOptions) => {
      const page = await s.fn(o);
      ac.abort(new Error('cancelled'));
      return page;
    };
    await expect(new ListPager(fn).list({}, ac.signal)).rejects.toThrow('cancelled');
    expect(s.calls).toHaveLength(1);
  });

  it('PG-07: eachListItem streams every item in order with a bounded page buffer', async () => {
    const s = pagedServer(2500);
    const pager = new ListPager(s.fn, { pageSize: 100, pageBufferSize: 2 });
    const names: string[] = [];
    let maxAhead = 0;
    await pager.eachListItem(
      {},
      async (it) => {
        names.push(it.metadata?.name ?? '');
        // pages fetched minus pages consumed never exceeds the buffer plus the one in hand
        maxAhead = Math.max(maxAhead, s.calls.length - Math.ceil(names.length / 100));
        await Promise.resolve();
      },
      signal(),
    );
    expect(names).toEqual(Array.from({ length: 2500 }, (_, i) => `p${i}`));
    expect(maxAhead).toBeLessThanOrEqual(3);
  });

  it('PG-07: an error from fn stops the paging', async () => {
    const s = pagedServer(5000);
    const pager = new ListPager(s.fn, { pageSize: 100, pageBufferSize: 1 });
    let n = 0;
    await expect(
      pager.eachListItem(
        {},
        () => {
          if (++n === 150) throw new Error('handler failed');
        },
        signal(),
      ),
    ).rejects.toThrow('handler failed');
    expect(s.calls.length).toBeLessThanOrEqual(4);
  });

  it('rejects bad options and malformed pages', async () => {
    expect(() => new ListPager(async () => ({ metadata: {}, items: [] }), { pageSize: -1 })).toThrow(
      RangeError,
    );
    const bad = new ListPager(async () => ({ metadata: {} }) as unknown as KubeList);
    await expect(bad.list({}, signal())).rejects.toThrow(/list with items/);
  });
});
