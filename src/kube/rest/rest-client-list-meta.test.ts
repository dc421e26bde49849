// RequestOptions.onListMeta: the ListMeta of a list reaches the caller while the body is still
// arriving (what the pager's fetch-ahead needs), and the request's result is unchanged.
import { describe, expect, it } from 'vitest';
import type { ListMeta } from '../api/types.ts';
import { DynamicClient } from '../dynamic/dynamic-client.ts';
import { type FetchLike, RESTClient } from './rest-client.ts';
import { StatusError } from './status-error.ts';

const BASE = 'http://kube.test/clusters/ctx';

/** A fetch whose body is sent in `chunks`; the last chunk waits until release() is called. */
function heldFetch(chunks: Uint8Array[], status = 200) {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const urls: string[] = [];
  const fetch: FetchLike = async (input) => {
    urls.push(input);
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (i === chunks.length - 1) await held;
        if (i < chunks.length) controller.enqueue(chunks[i++] as Uint8Array);
        else controller.close();
      },
    });
    return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetch, release, urls };
}

const encode = (text: string) => new TextEncoder().encode(text);

function client(fetch: FetchLike): RESTClient {
  return new RESTClient({ baseUrl: BASE, qps: -1, fetch, warningHandler: { handleWarning: () => {} } });
}

const LIST = JSON.stringify({
  kind: 'PodList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '12', continue: 'next-page' },
  items: [{ metadata: { name: 'caf\u00e9-\u2603' } }, { metadata: { name: 'b' } }],
});

describe('RESTClient onListMeta', () => {
  it('reports the ListMeta before the body has finished, then returns the whole list', async () => {
    const cut = LIST.indexOf('"items"') + 5;
    const f = heldFetch([encode(LIST.slice(0, cut)), encode(LIST.slice(cut))]);
    const seen: ListMeta[] = [];
    let metaArrived = () => {};
    const gotMeta = new Promise<void>((resolve) => {
      metaArrived = resolve;
    });
    const result = client(f.fetch).json<unknown>({
      version: 'v1',
      resource: 'pods',
      onListMeta: (meta) => {
        seen.push(meta);
        metaArrived();
      },
    });
    await gotMeta; // the last chunk is still held here
    expect(seen).toEqual([{ resourceVersion: '12', continue: 'next-page' }]);
    f.release();
    expect(await result).toEqual(JSON.parse(LIST));
    expect(seen).toHaveLength(1);
  });

  it('decodes UTF-8 split inside a character exactly like Response.text()', async () => {
    const bytes = encode(LIST);
    const split = bytes.indexOf(0xc3) + 1; // inside the two bytes of "é"
    const f = heldFetch([bytes.slice(0, split), bytes.slice(split, split + 3), bytes.slice(split + 3)]);
    f.release();
    const res = await client(f.fetch).request({ version: 'v1', resource: 'pods', onListMeta: () => {} });
    expect(res.text).toBe(LIST);
  });

  it('turns a BOM and bad bytes into what Response.text() makes of them', async () => {
    const list = encode(LIST);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...list.slice(0, 40), 0xff, ...list.slice(40)]);
    const f = heldFetch([bytes.slice(0, 2), bytes.slice(2, 50), bytes.slice(50)]);
    f.release();
    const res = await client(f.fetch).request({ version: 'v1', resource: 'pods', onListMeta: () => {} });
    expect(res.text).toBe(await new Response(bytes).text());
    expect(res.text).toContain('\ufffd');
  });

  it('a throwing onListMeta does not fail the request', async () => {
    const f = heldFetch([encode(LIST)]);
    f.release();
    const list = await client(f.fetch).json<{ items: unknown[] }>({
      version: 'v1',
      resource: 'pods',
      onListMeta: () => {
        throw new Error('listener bug');
      },
    });
    expect(list.items).toHaveLength(2);
  });

  it('is not called for an error response, which is still a StatusError (TE-02)', async () => {
    const status = JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    const f = heldFetch([encode(status)], 410);
    f.release();
    let calls = 0;
    const err = await client(f.fetch)
      .json({ version: 'v1', resource: 'pods', onListMeta: () => calls++ })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).reason).toBe('Expired');
    expect(calls).toBe(0);
  });

  it('DynamicClient.list forwards onListMeta and never sends it as a query parameter', async () => {
    const f = heldFetch([encode(LIST)]);
    f.release();
    let meta: ListMeta | undefined;
    const list = await new DynamicClient(client(f.fetch))
      .resource({ group: '', version: 'v1', resource: 'pods' })
      .list({ limit: 2, onListMeta: (m) => (meta = m) });
    expect(list.items).toHaveLength(2);
    expect(meta?.continue).toBe('next-page');
    expect(f.urls).toEqual([`${BASE}/api/v1/pods?limit=2`]);
  });
});
