// Integration: the transport half of the client against the simulated cluster's real core
// (proxy/sim/core), reached through an injected fetch, so no network and no MSW are involved.
// Discovery, the RESTMapper, the typed ClientSet, the pager and listWatchFor all run unchanged.
import type { Pod } from 'kubernetes-types/core/v1';
import { afterAll, describe, expect, it } from 'vitest';
import { createSimCluster } from '../../../proxy/sim/core/sim-cluster.ts';
import type { SimRequest } from '../../../proxy/sim/core/sim-http.ts';
import type { KubeObject, WatchEvent } from '../api/types.ts';
import { listWatchFor } from '../cache/list-watch.ts';
import type { ListHooks, ListOptions } from '../cache/lister-watcher.ts';
import { DiscoveryClient } from '../discovery/discovery-client.ts';
import { RESTMapper } from '../discovery/rest-mapper.ts';
import { ListPager } from '../pager/pager.ts';
import type { FetchLike } from '../rest/rest-client.ts';
import { RESTClient } from '../rest/rest-client.ts';
import { createClientSet } from '../typed/client-set.ts';
import { DynamicClient } from './dynamic-client.ts';

const cluster = createSimCluster();
afterAll(() => cluster.close());

const BASE = 'http://sim.test/clusters/sim';

/** fetch → SimRequest → SimResponse → Response, streaming bodies as they are produced. */
const simFetch: FetchLike = async (input, init) => {
  const url = new URL(input);
  const abort = new AbortController();
  init.signal?.addEventListener('abort', () => abort.abort(), { once: true });
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((v, k) => {
    headers[k.toLowerCase()] = v;
  });
  const req: SimRequest = {
    method: init.method ?? 'GET',
    path: url.pathname.slice('/clusters/sim'.length) || '/',
    query: url.searchParams,
    headers,
    user: { name: 'admin', groups: ['system:masters'], readOnly: false },
    signal: abort.signal,
  };
  if (typeof init.body === 'string') req.body = new TextEncoder().encode(init.body);
  const res = await cluster.handle(req);
  const body = res.body;
  const enc = new TextEncoder();
  let stream: BodyInit | null;
  if (typeof body === 'object' && body !== null && Symbol.asyncIterator in body) {
    const it = (body as AsyncIterable<string | Uint8Array>)[Symbol.asyncIterator]();
    stream = new ReadableStream<Uint8Array>({
      async pull(c) {
        const next = await it.next();
        if (next.done) c.close();
        else c.enqueue(typeof next.value === 'string' ? enc.encode(next.value) : next.value);
      },
      async cancel() {
        abort.abort();
        await it.return?.();
      },
    });
  } else {
    stream =
      res.status === 304 || res.status === 204
        ? null
        : typeof body === 'string'
          ? body
          : new Blob([body as Uint8Array<ArrayBuffer>]);
  }
  return new Response(stream, { status: res.status, headers: res.headers });
};

const rest = new RESTClient({ baseUrl: BASE, fetch: simFetch, qps: -1 });
const dynamic = new DynamicClient(rest);
const clientSet = createClientSet(dynamic);

function pod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'it' } },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  };
}

describe('client against the simulated cluster', () => {
  it('DI-01 / DI-12: discovery and the RESTMapper resolve kubectl names', async () => {
    const mapper = new RESTMapper(new DiscoveryClient(rest));
    expect(await mapper.resourceFor('po')).toEqual({ group: '', version: 'v1', resource: 'pods' });
    expect(await mapper.resourceFor('deploy')).toEqual({
      group: 'apps',
      version: 'v1',
      resource: 'deployments',
    });
    expect((await mapper.restMappingForResource('ns')).namespaced).toBe(false);
  });

  it('PG-03 / PG-04: the pager fetches the next page while the current one is read, same result', async () => {
    const cms = dynamic.resource({ group: '', version: 'v1', resource: 'configmaps' }).namespace('pager');
    await dynamic.resource({ group: '', version: 'v1', resource: 'namespaces' }).create({
      metadata: { name: 'pager' },
    });
    for (let i = 0; i < 7; i++) await cms.create({ metadata: { name: `cm-${i}` }, data: { i: String(i) } });
    const log: string[] = [];
    const logged: FetchLike = (input, init) => {
      const url = new URL(input);
      if (url.searchParams.has('limit'))
        log.push(`request ${url.searchParams.get('continue') ? 'next' : 'first'}`);
      return simFetch(input, init);
    };
    const lw = listWatchFor<KubeObject>(
      new DynamicClient(new RESTClient({ baseUrl: BASE, fetch: logged, qps: -1 })),
      { group: '', version: 'v1', resource: 'configmaps' },
      { namespace: 'pager' },
    );
    let page = 0;
    const pageFn = async (o: ListOptions, sig: AbortSignal, hooks?: ListHooks) => {
      const n = ++page;
      const result = await lw.list(o, sig, hooks);
      log.push(`page ${n} parsed`);
      return result;
    };
    const { list, paginated } = await new ListPager(pageFn, { pageSize: 3 }).list(
      {},
      new AbortController().signal,
    );
    expect(paginated).toBe(true);
    expect(list.items.map((c) => c.metadata?.name)).toEqual(Array.from({ length: 7 }, (_, i) => `cm-${i}`));
    const direct = await cms.list();
    expect(list.metadata.resourceVersion).toBe(direct.metadata.resourceVersion);
    // Page 2 went out on page 1's early ListMeta, before page 1 had been parsed.
    expect(log.indexOf('request next')).toBeLessThan(log.indexOf('page 1 parsed'));
    expect(log.filter((l) => l.startsWith('request'))).toHaveLength(3);
  });

  it('PG-04 / R-40 / WS-02: pages through pods, then watches them from the list RV', async () => {
    const pods = clientSet.coreV1.pods('default');
    for (let i = 0; i < 5; i++) await pods.create(pod(`it-${i}`));
    const lw = listWatchFor<KubeObject>(
      dynamic,
      { group: '', version: 'v1', resource: 'pods' },
      { namespace: 'default', labelSelector: 'app=it' },
    );
    const signal = new AbortController().signal;
    const { list, paginated } = await new ListPager((o, s) => lw.list(o, s), { pageSize: 2 }).list(
      {},
      signal,
    );
    expect(paginated).toBe(true);
    expect(list.items.map((p) => p.metadata?.name).sort()).toEqual(['it-0', 'it-1', 'it-2', 'it-3', 'it-4']);
    const rv = list.metadata.resourceVersion;
    expect(rv).toBeTruthy();

    const watch = await lw.watch(
      { resourceVersion: rv, allowWatchBookmarks: true, timeoutSeconds: 60 },
      signal,
    );
    const seen: WatchEvent[] = [];
    const reading = (async () => {
      for await (const e of watch) {
        seen.push(e);
        if (e.type === 'DELETED') watch.stop();
      }
    })();
    await pods.create(pod('it-new'));
    await pods.delete('it-new');
    await Promise.race([
      reading,
      new Promise((_, rej) => setTimeout(() => rej(new Error('watch timed out')), 5000)),
    ]);
    const changes = seen
      .filter((e) => e.type !== 'BOOKMARK')
      .map((e) => [e.type, (e.object as KubeObject).metadata?.name]);
    expect(changes).toEqual([
      ['ADDED', 'it-new'],
      ['DELETED', 'it-new'],
    ]);
  });
});
