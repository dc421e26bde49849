import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.ts';
import { PatchType } from '../rest/media-types.ts';
import { RESTClient } from '../rest/rest-client.ts';
import { isAlreadyExists, isConflict } from '../rest/status-error.ts';
import { DynamicClient } from './dynamic-client.ts';

const BASE = 'http://kube.test/clusters/ctx';
interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | null;
  body: unknown;
}
const seen: Seen[] = [];
const widgets = new Map<string, KubeObject>([
  [
    'w1',
    {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'ns', resourceVersion: '5' },
    },
  ],
]);

const server = setupServer(
  http.all(`${BASE}/*`, async ({ request }) => {
    const url = new URL(request.url);
    const text = request.method === 'GET' ? '' : await request.text();
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    seen.push({
      method: request.method,
      path: url.pathname.replace('/clusters/ctx', ''),
      query: Object.fromEntries(url.searchParams),
      contentType: request.headers.get('content-type'),
      body,
    });
    const m =
      /^\/clusters\/ctx\/apis\/example\.com\/v1\/namespaces\/ns\/widgets(?:\/([^/]+))?(?:\/(status))?$/.exec(
        url.pathname,
      );
    if (!m)
      return HttpResponse.json(
        { kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound' },
        { status: 404 },
      );
    const name = m[1];
    const obj = body as KubeObject | undefined;
    if (request.method === 'GET' && name) return HttpResponse.json(widgets.get(name));
    if (request.method === 'GET')
      return HttpResponse.json({
        kind: 'WidgetList',
        metadata: { resourceVersion: '9' },
        items: [...widgets.values()],
      });
    if (request.method === 'POST') {
      const n = obj?.metadata?.name ?? '';
      if (widgets.has(n))
        return HttpResponse.json(
          { kind: 'Status', status: 'Failure', code: 409, reason: 'AlreadyExists' },
          { status: 409 },
        );
      widgets.set(n, obj!);
      return HttpResponse.json(obj, { status: 201 });
    }
    if (request.method === 'PUT') {
      const cur = widgets.get(name ?? '');
      if (obj?.metadata?.resourceVersion && obj.metadata.resourceVersion !== cur?.metadata?.resourceVersion) {
        return HttpResponse.json(
          { kind: 'Status', status: 'Failure', code: 409, reason: 'Conflict', message: 'stale' },
          { status: 409 },
        );
      }
      return HttpResponse.json(obj);
    }
    if (request.method === 'PATCH') return HttpResponse.json(widgets.get(name ?? ''));
    if (request.method === 'DELETE')
      return HttpResponse.json({ kind: 'Status', apiVersion: 'v1', status: 'Success' });
    return new HttpResponse(null, { status: 405 });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  seen.length = 0;
});
afterAll(() => server.close());

const gvr = { group: 'example.com', version: 'v1', resource: 'widgets' };
const dyn = new DynamicClient(new RESTClient({ baseUrl: BASE, qps: -1 }));
const widgetsNs = dyn.resource(gvr).namespace('ns');

describe('DynamicClient (DC-*)', () => {
  it('DC-01 / DC-03: get and list use the RC-01 paths with GET', async () => {
    expect((await widgetsNs.get('w1')).metadata?.name).toBe('w1');
    const list = await widgetsNs.list({ labelSelector: 'a=b', limit: 10 });
    expect(list.items).toHaveLength(1);
    expect(seen.map((s) => [s.method, s.path, s.query])).toEqual([
      ['GET', '/apis/example.com/v1/namespaces/ns/widgets/w1', {}],
      ['GET', '/apis/example.com/v1/namespaces/ns/widgets', { labelSelector: 'a=b', limit: '10' }],
    ]);
  });

  it('DC-02: an empty name fails on the client with "name is required"', async () => {
    const noName: KubeObject = { metadata: {} };
    expect(() => widgetsNs.get('')).toThrow('name is required');
    expect(() => widgetsNs.update(noName)).toThrow('name is required');
    expect(() => widgetsNs.updateStatus(noName)).toThrow('name is required');
    expect(() => widgetsNs.delete('')).toThrow('name is required');
    expect(() => widgetsNs.patch('', PatchType.merge, {})).toThrow('name is required');
    expect(() => widgetsNs.apply('', noName, { fieldManager: 'kg' })).toThrow('name is required');
    expect(() => widgetsNs.create(noName, { subresource: 'status' })).toThrow('name is required');
    expect(seen).toEqual([]);
  });

  it('DC-03 / DC-04: create POSTs to the collection; an existing name is AlreadyExists', async () => {
    const w2 = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w2' } };
    await widgetsNs.create(w2, { fieldManager: 'kg', dryRun: 'All' });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/apis/example.com/v1/namespaces/ns/widgets',
      query: { fieldManager: 'kg', dryRun: 'All' },
      body: w2,
    });
    await expect(widgetsNs.create(w2)).rejects.toSatisfy(isAlreadyExists);
  });

  it('DC-03 / DC-04: update PUTs to the name, updateStatus to name/status; a stale RV is a Conflict', async () => {
    const w1 = { metadata: { name: 'w1', namespace: 'ns', resourceVersion: '5' } };
    await widgetsNs.update(w1);
    await widgetsNs.updateStatus(w1);
    expect(seen.map((s) => [s.method, s.path])).toEqual([
      ['PUT', '/apis/example.com/v1/namespaces/ns/widgets/w1'],
      ['PUT', '/apis/example.com/v1/namespaces/ns/widgets/w1/status'],
    ]);
    await expect(widgetsNs.update({ metadata: { name: 'w1', resourceVersion: '4' } })).rejects.toSatisfy(
      isConflict,
    );
  });

  it('DC-05: patch sends the Content-Type of its patch type', async () => {
    for (const type of Object.values(PatchType))
      await widgetsNs.patch('w1', type, [{ op: 'add', path: '/x', value: 1 }]);
    expect(seen.map((s) => s.contentType)).toEqual([
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
    expect(() => widgetsNs.patch('w1', 'text/plain' as PatchType, {})).toThrow(/unknown patch type/);
  });

  it('DC-06: apply is an apply-patch with fieldManager and force; managedFields are refused', async () => {
    const w = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } };
    await widgetsNs.apply('w1', w, { fieldManager: 'kubeglass', force: true });
    expect(seen[0]).toMatchObject({
      method: 'PATCH',
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: 'kubeglass', force: 'true' },
      body: w,
    });
    expect(() => widgetsNs.apply('w1', w, { fieldManager: '' })).toThrow(/fieldManager is required/);
    expect(() =>
      widgetsNs.apply('w1', { metadata: { name: 'w1', managedFields: [] } }, { fieldManager: 'x' }),
    ).toThrow(/managedFields/);
  });

  it('DC-03: delete sends DeleteOptions; deleteCollection uses list options as query', async () => {
    await widgetsNs.delete('w1', { deleteOptions: { propagationPolicy: 'Foreground' } });
    await widgetsNs.deleteCollection({ labelSelector: 'x=y', deleteOptions: { gracePeriodSeconds: 0 } });
    expect(seen[0]).toMatchObject({
      method: 'DELETE',
      path: '/apis/example.com/v1/namespaces/ns/widgets/w1',
      body: { kind: 'DeleteOptions', propagationPolicy: 'Foreground' },
    });
    expect(seen[1]).toMatchObject({
      method: 'DELETE',
      path: '/apis/example.com/v1/namespaces/ns/widgets',
      query: { labelSelector: 'x=y' },
      body: { gracePeriodSeconds: 0 },
    });
  });

  it('DC-03: watch is a GET with watch=true on the collection', async () => {
    server.use(
      http.get(`${BASE}/api/v1/pods`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        const enc = new TextEncoder();
        return new HttpResponse(
          new ReadableStream({
            start(c) {
              c.enqueue(
                enc.encode(
                  `${JSON.stringify({ type: 'ADDED', object: { kind: 'Pod', metadata: { name: q.get('watch') ?? '' } } })}\n`,
                ),
              );
              c.close();
            },
          }),
          { headers: { 'Content-Type': 'application/json' } },
        );
      }),
    );
    const w = await dyn
      .resource({ group: '', version: 'v1', resource: 'pods' })
      .watch({ resourceVersion: '3', allowWatchBookmarks: true });
    const names: string[] = [];
    for await (const e of w) names.push((e.object as KubeObject).metadata?.name ?? '');
    expect(names).toEqual(['true']);
  });

  it('rejects an incomplete GVR', () => {
    expect(() => dyn.resource({ group: '', version: '', resource: 'pods' })).toThrow(/version and resource/);
  });
});
