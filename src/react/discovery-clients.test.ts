import { describe, expect, it } from 'vitest';
import { MemoryDiscoveryCacheStorage } from '../kube/discovery/discovery-cache-storage.ts';
import { RESTClient } from '../kube/rest/rest-client.ts';
import { discoveryClients } from './discovery-clients.ts';

describe('discoveryClients', () => {
  it('hands out one client per context and identity, and a new one when the identity changes', () => {
    let identity = 'memory';
    const made: string[] = [];
    const discoveryFor = discoveryClients({
      restFor(context) {
        made.push(context);
        return new RESTClient({ baseUrl: `http://127.0.0.1:1/clusters/${context}`, qps: -1, maxRetries: 0 });
      },
      storageFor: () => ({ id: identity, storage: new MemoryDiscoveryCacheStorage() }),
    });
    const a = discoveryFor('dev');
    expect(discoveryFor('dev')).toBe(a);
    expect(discoveryFor('prod')).not.toBe(a);
    identity = '["https://k:6443","me"]';
    const b = discoveryFor('dev');
    expect(b).not.toBe(a);
    expect(discoveryFor('dev')).toBe(b);
    expect(made).toEqual(['dev', 'prod', 'dev']);
  });

  it('serves a second read from the cache within the TTL (DI-11)', async () => {
    let requests = 0;
    const body = (doc: unknown) =>
      new Response(JSON.stringify(doc), { status: 200, headers: { 'content-type': 'application/json' } });
    const fetch = async (input: string) => {
      requests++;
      const path = new URL(input).pathname;
      if (path.endsWith('/api')) return body({ kind: 'APIVersions', versions: ['v1'] });
      if (path.endsWith('/apis')) return body({ kind: 'APIGroupList', groups: [] });
      return body({
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [{ name: 'pods', singularName: 'pod', kind: 'Pod', namespaced: true, verbs: ['list'] }],
      });
    };
    const storage = new MemoryDiscoveryCacheStorage();
    const discoveryFor = discoveryClients({
      restFor: (context) =>
        new RESTClient({ baseUrl: `http://127.0.0.1:1/clusters/${context}`, fetch, qps: -1, maxRetries: 0 }),
      storageFor: () => ({ id: 'memory', storage }),
    });
    const first = await discoveryFor('dev').serverGroupsAndResources();
    expect(first.resources.get('v1')?.resources.map((r) => r.name)).toEqual(['pods']);
    const asked = requests;
    expect(asked).toBeGreaterThan(0);
    await discoveryFor('dev').serverGroupsAndResources();
    expect(requests).toBe(asked);
    discoveryFor('dev').invalidate();
    await discoveryFor('dev').serverGroupsAndResources();
    expect(requests).toBeGreaterThan(asked);
  });
});
