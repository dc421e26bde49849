// ListPager fetch-ahead: the next page is requested as soon as the current page reported its
// ListMeta (ListHooks.onListMeta), while PG-01..PG-07 keep holding.
import { describe, expect, it } from 'vitest';
import type { KubeList, KubeObject } from '../api/types.ts';
import type { ListHooks, ListOptions } from '../cache/lister-watcher.ts';
import { StatusError } from '../rest/status-error.ts';
import { ListPager } from './pager.ts';

interface Call {
  options: ListOptions;
  signal: AbortSignal;
  /** Completes the page (its body has fully arrived and parsed). */
  finish(): void;
  fail(err: unknown): void;
}

/**
 * A paged server whose responses are held: each call reports its ListMeta at once (the start of
 * the body arrived) and resolves only when the test calls finish(). `metaToken` can make the early
 * metadata lie about the continue token.
 */
function heldServer(total: number, opts: { metaToken?: (real: string) => string } = {}) {
  const calls: Call[] = [];
  const fn = (options: ListOptions, signal: AbortSignal, hooks?: ListHooks): Promise<KubeList> => {
    const start = options.continue ? Number(options.continue) : 0;
    const end = options.limit ? Math.min(total, start + options.limit) : total;
    const items: KubeObject[] = Array.from({ length: end - start }, (_, k) => ({
      metadata: { name: `p${start + k}` },
    }));
    const token = end < total ? String(end) : undefined;
    const metadata = { resourceVersion: '100', ...(token ? { continue: token } : {}) };
    return new Promise<KubeList>((resolve, reject) => {
      const call: Call = {
        options,
        signal,
        finish: () => resolve({ kind: 'PodList', metadata, items }),
        fail: reject,
      };
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      calls.push(call);
      const early = token && opts.metaToken ? opts.metaToken(token) : token;
      hooks?.onListMeta?.({ resourceVersion: '100', ...(early ? { continue: early } : {}) });
    });
  };
  return { calls, fn };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ListPager fetch-ahead (PG-04 continuations, in page order)', () => {
  it('requests the next page before the current one has finished, and keeps page order', async () => {
    const s = heldServer(1200);
    const pager = new ListPager(s.fn, { fetchAheadPages: 2 });
    const done = pager.list({ resourceVersion: '0' }, new AbortController().signal);
    await tick();
    // Every page's token was known early, so all three went out while page one is still held.
    expect(s.calls.map((c) => c.options)).toEqual([
      { resourceVersion: '0', limit: 500 },
      { limit: 500, continue: '500' },
      { limit: 500, continue: '1000' },
    ]);
    // Finish them out of order: the result is still in page order.
    s.calls[2]!.finish();
    s.calls[1]!.finish();
    s.calls[0]!.finish();
    const { list, paginated } = await done;
    expect(paginated).toBe(true);
    expect(list.items.map((i) => i.metadata?.name)).toEqual(Array.from({ length: 1200 }, (_, i) => `p${i}`));
    expect(list.metadata).toEqual({ resourceVersion: '100' });
  });

  it('by default fetches one page ahead of the page being received', async () => {
    const s = heldServer(1500);
    const pager = new ListPager(s.fn);
    expect(pager.fetchAheadPages).toBe(1);
    const done = pager.list({}, new AbortController().signal);
    await tick();
    expect(s.calls.map((c) => c.options.continue)).toEqual([undefined, '500']);
    s.calls[0]!.finish();
    await tick();
    expect(s.calls.map((c) => c.options.continue)).toEqual([undefined, '500', '1000']);
    s.calls[1]!.finish();
    s.calls[2]!.finish();
    expect((await done).list.items).toHaveLength(1500);
  });

  it('keeps at most 1 + fetchAheadPages requests outstanding; 0 turns fetch-ahead off', async () => {
    const off = heldServer(1000);
    const sequential = new ListPager(off.fn, { fetchAheadPages: 0 }).list({}, new AbortController().signal);
    await tick();
    expect(off.calls).toHaveLength(1);
    off.calls[0]!.finish();
    await tick();
    expect(off.calls).toHaveLength(2);
    off.calls[1]!.finish();
    expect((await sequential).list.items).toHaveLength(1000);
    expect(() => new ListPager(off.fn, { fetchAheadPages: -1 })).toThrow(RangeError);

    const s = heldServer(1000);
    const pager = new ListPager(s.fn, { pageSize: 100, fetchAheadPages: 2 });
    const done = pager.list({}, new AbortController().signal);
    await tick();
    expect(s.calls).toHaveLength(3);
    s.calls[0]!.finish();
    await tick();
    // One page consumed: one more request may go out.
    expect(s.calls).toHaveLength(4);
    for (let i = 1; i < 10; i++) {
      s.calls[i]!.finish();
      await tick();
      const outstanding = s.calls.length - (i + 1);
      expect(outstanding).toBeLessThanOrEqual(3);
    }
    expect((await done).list.items).toHaveLength(1000);
    expect(s.calls).toHaveLength(10);
  });

  it('discards a page fetched on a token the parsed page does not confirm, and asks again', async () => {
    const s = heldServer(1000, { metaToken: (real) => `${real}-stale` });
    const done = new ListPager(s.fn).list({}, new AbortController().signal);
    await tick();
    expect(s.calls.map((c) => c.options.continue)).toEqual([undefined, '500-stale']);
    s.calls[0]!.finish();
    await tick();
    expect(s.calls[1]!.signal.aborted).toBe(true);
    expect(s.calls[2]!.options).toEqual({ limit: 500, continue: '500' });
    s.calls[2]!.finish();
    const { list } = await done;
    expect(list.items.map((i) => i.metadata?.name)).toEqual(Array.from({ length: 1000 }, (_, i) => `p${i}`));
  });

  it('a failed page fails the list and aborts the pages fetched ahead of it', async () => {
    const s = heldServer(1500);
    const done = new ListPager(s.fn, { fetchAheadPages: 2 }).list({}, new AbortController().signal);
    await tick();
    expect(s.calls).toHaveLength(3);
    s.calls[0]!.fail(new StatusError({ status: 'Failure', code: 500, reason: 'InternalError' }));
    await expect(done).rejects.toMatchObject({ reason: 'InternalError' });
    expect(s.calls[1]!.signal.aborted).toBe(true);
    expect(s.calls[2]!.signal.aborted).toBe(true);
  });

  it('PG-05: an expired continuation fetched ahead still falls back to one full list', async () => {
    const s = heldServer(1500);
    const pager = new ListPager(s.fn, { fetchAheadPages: 2 });
    const done = pager.list(
      { resourceVersion: '7', resourceVersionMatch: 'NotOlderThan' },
      new AbortController().signal,
    );
    await tick();
    s.calls[1]!.fail(new StatusError({ status: 'Failure', code: 410, reason: 'Expired' }));
    s.calls[0]!.finish();
    await tick();
    expect(s.calls[2]!.signal.aborted).toBe(true);
    const full = s.calls[3]!;
    expect(full.options).toEqual({ resourceVersion: '7', resourceVersionMatch: 'NotOlderThan' });
    full.finish();
    const { list } = await done;
    expect(list.items).toHaveLength(1500);
  });

  it('PG-06: cancelling the list aborts every outstanding request and requests nothing more', async () => {
    const s = heldServer(2000);
    const ac = new AbortController();
    const done = new ListPager(s.fn).list({}, ac.signal);
    await tick();
    const requested = s.calls.length;
    ac.abort(new Error('stop'));
    await expect(done).rejects.toThrow('stop');
    expect(s.calls.every((c) => c.signal.aborted)).toBe(true);
    await tick();
    expect(s.calls).toHaveLength(requested);
  });

  it('a page function that ignores the hooks gets one request at a time (no fetch-ahead)', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const fn = async (o: ListOptions): Promise<KubeList> => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await tick();
      inFlight--;
      const start = o.continue ? Number(o.continue) : 0;
      const end = Math.min(1200, start + 500);
      return {
        metadata: end < 1200 ? { continue: String(end) } : {},
        items: Array.from({ length: end - start }, (_, k) => ({ metadata: { name: `p${start + k}` } })),
      };
    };
    const { list } = await new ListPager(fn).list({}, new AbortController().signal);
    expect(list.items).toHaveLength(1200);
    expect(maxInFlight).toBe(1);
  });

  it('PG-07: eachListItem streams items in order while pages are fetched ahead', async () => {
    const s = heldServer(1000);
    const names: string[] = [];
    const done = new ListPager(s.fn, { pageSize: 250, pageBufferSize: 2 }).eachListItem(
      {},
      (item) => {
        names.push(item.metadata?.name ?? '');
      },
      new AbortController().signal,
    );
    for (let i = 0; i < 4; i++) {
      await tick();
      s.calls[i]!.finish();
    }
    await done;
    expect(names).toEqual(Array.from({ length: 1000 }, (_, i) => `p${i}`));
  });
});
