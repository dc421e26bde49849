import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamicClient } from '../dynamic/dynamic-client.ts';
import { RESTClient } from '../rest/rest-client.ts';
import { BUILTIN_RESOURCES, createClientSet } from './client-set.ts';

const BASE = 'http://kube.test/clusters/ctx';
const urls: URL[] = [];
const server = setupServer(
  http.get(`${BASE}/api/v1/namespaces/default/pods`, ({ request }) => {
    const url = new URL(request.url);
    urls.push(url);
    if (url.searchParams.get('watch')) {
      const line = `${JSON.stringify({ type: 'ADDED', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w' }, spec: { containers: [] } } })}\n`;
      return new HttpResponse(
        new ReadableStream({
          start: (c) => {
            c.enqueue(new TextEncoder().encode(line));
            c.close();
          },
        }),
        { headers: { 'Content-Type': 'application/json' } },
      );
    }
    return HttpResponse.json({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '3' },
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { nodeName: 'n1', containers: [] } },
      ],
    });
  }),
  http.get(`${BASE}/api/v1/nodes/n1`, () =>
    HttpResponse.json({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'n1' },
      status: { nodeInfo: { kubeletVersion: 'v1.36.0' } },
    }),
  ),
  http.post(`${BASE}/apis/apps/v1/namespaces/prod/deployments`, async ({ request }) =>
    HttpResponse.json(await request.json(), { status: 201 }),
  ),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const cs = createClientSet(new DynamicClient(new RESTClient({ baseUrl: BASE, qps: -1 })));

describe('typed ClientSet (DC-07)', () => {
  it('DC-07: typed list and get return kubernetes-types objects', async () => {
    const list = await cs.coreV1.pods('default').list();
    const first: Pod | undefined = list.items[0];
    expect(first?.spec?.nodeName).toBe('n1');
    const node: Node = await cs.coreV1.nodes.get('n1');
    expect(node.status?.nodeInfo?.kubeletVersion).toBe('v1.36.0');
    // @ts-expect-error nodes are cluster-scoped: no namespace accessor
    expect(() => cs.coreV1.nodes('x')).toThrow();
  });

  it('DC-07: typed watch sends timeoutSeconds and the matching timeout parameter', async () => {
    urls.length = 0;
    const w = await cs.coreV1.pods('default').watch({ timeoutSeconds: 300, resourceVersion: '3' });
    const names: string[] = [];
    for await (const e of w) if (e.type === 'ADDED') names.push(e.object.metadata?.name ?? '');
    expect(names).toEqual(['w']);
    expect(urls[0]?.searchParams.get('timeoutSeconds')).toBe('300');
    expect(urls[0]?.searchParams.get('timeout')).toBe('5m0s');
    expect(urls[0]?.searchParams.get('watch')).toBe('true');
  });

  it('typed create posts to the group path', async () => {
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: {}, template: {} },
    };
    const created = await cs.appsV1.deployments('prod').create(d);
    expect(created.metadata?.name).toBe('web');
  });

  it('the table has one accessor per (group, name) and matches the client', () => {
    const keys = new Set<string>();
    for (const [g, group, version, resource, , namespaced, accessor] of BUILTIN_RESOURCES) {
      expect(keys.has(`${g}.${accessor}`)).toBe(false);
      keys.add(`${g}.${accessor}`);
      const entry = (cs as unknown as Record<string, Record<string, unknown>>)[g]?.[accessor];
      const typed = namespaced
        ? (entry as (ns: string) => { gvr: unknown })('ns')
        : (entry as { gvr: unknown });
      expect(typed.gvr).toEqual({ group, version, resource });
    }
  });
});
