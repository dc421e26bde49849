import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamicClient } from '../dynamic/dynamic-client.ts';
import { RESTClient } from '../rest/rest-client.ts';
import { listWatchFor } from './list-watch.ts';

const BASE = 'http://kube.test/clusters/ctx';
const queries: Record<string, string>[] = [];
const server = setupServer(
  http.get(`${BASE}/api/v1/namespaces/team/pods`, ({ request }) => {
    const q = Object.fromEntries(new URL(request.url).searchParams);
    queries.push(q);
    if (q.watch)
      return new HttpResponse(new ReadableStream({ start: (c) => c.close() }), {
        headers: { 'Content-Type': 'application/json' },
      });
    return HttpResponse.json({ kind: 'PodList', metadata: { resourceVersion: '7' }, items: [] });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('listWatchFor (R-40)', () => {
  it('R-40: list and watch share the options, watch forces watch=true, tweak applies to both', async () => {
    const dyn = new DynamicClient(new RESTClient({ baseUrl: BASE, qps: -1 }));
    const lw = listWatchFor(
      dyn,
      { group: '', version: 'v1', resource: 'pods' },
      {
        namespace: 'team',
        labelSelector: 'app=web',
        fieldSelector: 'spec.nodeName=n1',
        tweak: (o) => {
          o.labelSelector = `${o.labelSelector},tier=front`;
        },
      },
    );
    const signal = new AbortController().signal;
    const list = await lw.list({ resourceVersion: '0', limit: 500 }, signal);
    expect(list.metadata.resourceVersion).toBe('7');
    const w = await lw.watch(
      { resourceVersion: '7', allowWatchBookmarks: true, timeoutSeconds: 300 },
      signal,
    );
    for await (const _ of w) {
      // the body closes at once
    }
    expect(queries).toEqual([
      {
        labelSelector: 'app=web,tier=front',
        fieldSelector: 'spec.nodeName=n1',
        resourceVersion: '0',
        limit: '500',
      },
      {
        labelSelector: 'app=web,tier=front',
        fieldSelector: 'spec.nodeName=n1',
        watch: 'true',
        allowWatchBookmarks: 'true',
        resourceVersion: '7',
        timeoutSeconds: '300',
      },
    ]);
  });
});
