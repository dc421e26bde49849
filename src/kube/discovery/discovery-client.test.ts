import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { RESTClient } from '../rest/rest-client.ts';
import { StatusError } from '../rest/status-error.ts';
import { isAggregatedContentType } from './aggregated-discovery.ts';
import { DiscoveryClient, discoveryRESTClientOptions } from './discovery-client.ts';
import {
  CacheNotFoundError,
  GroupDiscoveryFailedError,
  isGroupDiscoveryFailedError,
  StaleGroupVersionError,
} from './discovery-errors.ts';
import { widgetsGroup } from './discovery-fixture-handlers.ts';
import { serveDiscoveryFixtures } from './discovery-fixture-server.ts';
import type { GroupsAndResources } from './discovery-types.ts';

const BASE = 'http://kube.test/clusters/ctx';
const fx = serveDiscoveryFixtures(BASE);
const { server } = fx;

const rest = () => new RESTClient({ baseUrl: BASE, qps: -1, maxRetries: 0 });
const accepts: string[] = [];

describe('DiscoveryClient', () => {
  it('DI-01: asks for aggregated v2 first with a JSON fallback; legacy mode asks JSON only', async () => {
    accepts.length = 0;
    server.events.on('request:start', ({ request }) => {
      accepts.push(request.headers.get('accept') ?? '');
    });
    await new DiscoveryClient(rest()).serverGroups();
    await new DiscoveryClient(rest(), { mode: 'legacy' }).serverGroups();
    await new DiscoveryClient(rest(), { mode: 'nopeer' }).serverGroups();
    server.events.removeAllListeners();
    expect(accepts[0]).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
    );
    expect(accepts).toContain('application/json');
    expect(
      accepts.some((a) =>
        a.startsWith('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;profile=nopeer,'),
      ),
    ).toBe(true);
  });

  it('DI-02: Content-Type parameters in any order; charset ignored', () => {
    expect(
      isAggregatedContentType('application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io'),
    ).toBe(true);
    expect(
      isAggregatedContentType(
        'application/json; charset=utf-8; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList',
      ),
    ).toBe(true);
    expect(isAggregatedContentType('application/json')).toBe(false);
    expect(isAggregatedContentType('application/json;g=apidiscovery.k8s.io;v=v2')).toBe(false);
    expect(isAggregatedContentType(null)).toBe(false);
  });

  it('DI-04 / DI-05: aggregated discovery gives core first, subresources as parent/sub, scope and kinds', async () => {
    const d = new DiscoveryClient(rest());
    const gr = await d.serverGroupsAndResources();
    expect(gr.groups[0]?.name).toBe('');
    expect(gr.groups.map((g) => g.name)).toContain('example.com');
    const core = gr.resources.get('v1')!;
    const pods = core.resources.find((r) => r.name === 'pods')!;
    expect(pods).toMatchObject({ namespaced: true, kind: 'Pod', singularName: 'pod', shortNames: ['po'] });
    expect(core.resources.find((r) => r.name === 'pods/log')).toMatchObject({ namespaced: true });
    const apps = gr.resources.get('apps/v1')!;
    expect(apps.resources.find((r) => r.name === 'deployments/scale')?.kind).toBe('Scale');
    expect(gr.resources.get('autoscaling/v2')).toBeDefined();
    expect(fx.state.hits.get('/apis/apps/v1')).toBeUndefined(); // no per-GV fetches
    expect(d.fresh()).toBe(true);
  });

  it('DI-05: a Stale version is a failed GV (StaleGroupVersionError); the rest is usable (DI-07)', async () => {
    fx.state.extraGroups = [
      { ...widgetsGroup, versions: [{ ...widgetsGroup.versions![0]!, freshness: 'Stale' }] },
    ];
    const err = await new DiscoveryClient(rest()).serverGroupsAndResources().catch((e: unknown) => e);
    expect(isGroupDiscoveryFailedError(err)).toBe(true);
    const failed = err as GroupDiscoveryFailedError<GroupsAndResources>;
    expect(failed.groups.get('example.com/v1')).toBeInstanceOf(StaleGroupVersionError);
    expect(failed.partial.resources.get('apps/v1')).toBeDefined();
    expect(failed.partial.resources.has('example.com/v1')).toBe(false);
  });

  it('DI-05 / DI-06: if only one root is aggregated, resources come from parallel per-GV fetches', async () => {
    fx.state.aggregatedApi = false; // /api answers APIVersions
    const gr = await new DiscoveryClient(rest()).serverGroupsAndResources();
    expect(fx.state.hits.get('/api/v1')).toBe(1);
    expect(fx.state.hits.get('/apis/apps/v1')).toBe(1);
    expect(gr.resources.get('v1')?.resources.some((r) => r.name === 'pods')).toBe(true);
    expect(gr.groups[0]).toMatchObject({ name: '', preferredVersion: { groupVersion: 'v1', version: 'v1' } });
  });

  it('DI-06 / DI-07: legacy per-GV failure is recorded and the others carry on', async () => {
    fx.state.aggregatedApi = false;
    fx.state.aggregatedApis = false;
    server.use(
      http.get(`${BASE}/apis/batch/v1`, () =>
        HttpResponse.json(
          { kind: 'Status', status: 'Failure', code: 403, reason: 'Forbidden' },
          { status: 403 },
        ),
      ),
    );
    const err = await new DiscoveryClient(rest()).serverGroupsAndResources().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GroupDiscoveryFailedError);
    const failed = err as GroupDiscoveryFailedError<GroupsAndResources>;
    expect([...failed.groups.keys()]).toEqual(['batch/v1']);
    expect((failed.groups.get('batch/v1') as StatusError).reason).toBe('Forbidden');
    expect(failed.partial.resources.get('apps/v1')?.resources.length).toBeGreaterThan(0);
  });

  it('DI-03: a 404 on /api is an empty core group; any other error on /apis fails the call', async () => {
    server.use(http.get(`${BASE}/api`, () => new HttpResponse('not found', { status: 404 })));
    fx.state.aggregatedApis = true;
    const gr = await new DiscoveryClient(rest())
      .serverGroupsAndResources()
      .catch((e: unknown) => (e as GroupDiscoveryFailedError<GroupsAndResources>).partial);
    expect(gr.groups.some((g) => g.name === '')).toBe(false);
    expect(gr.groups.some((g) => g.name === 'apps')).toBe(true);
    server.use(http.get(`${BASE}/apis`, () => new HttpResponse('<html>bad gateway</html>', { status: 502 })));
    await expect(new DiscoveryClient(rest()).serverGroups()).rejects.toBeInstanceOf(StatusError);
  });

  it('DI-06: a 404 for /api/v1 is an empty list', async () => {
    fx.state.aggregatedApi = false;
    server.use(http.get(`${BASE}/api/v1`, () => new HttpResponse(null, { status: 404 })));
    const gr = await new DiscoveryClient(rest()).serverGroupsAndResources();
    expect(gr.resources.get('v1')?.resources).toEqual([]);
  });

  it('DI-08: preferred resources take the preferred version, else the first serving; no subresources', async () => {
    const lists = await new DiscoveryClient(rest()).serverPreferredResources();
    const hpa = lists.filter((l) => l.resources.some((r) => r.name === 'horizontalpodautoscalers'));
    expect(hpa.map((l) => l.groupVersion)).toEqual(['autoscaling/v2']);
    expect(lists.every((l) => l.resources.every((r) => !r.name.includes('/')))).toBe(true);
    expect(lists[0]?.groupVersion).toBe('v1');
  });

  it('DI-10: cached until invalidate(); fresh() after a fetch; unknown GV is CacheNotFound', async () => {
    const d = new DiscoveryClient(rest());
    expect(d.fresh()).toBe(false);
    await d.serverGroups();
    await d.serverGroupsAndResources();
    await d.serverResourcesForGroupVersion('apps/v1');
    expect(fx.state.hits.get('/apis')).toBe(1);
    expect(d.fresh()).toBe(true);
    await expect(d.serverResourcesForGroupVersion('nope.io/v9')).rejects.toBeInstanceOf(CacheNotFoundError);
    d.invalidate();
    expect(d.fresh()).toBe(false);
    await d.serverGroups();
    expect(fx.state.hits.get('/apis')).toBe(2);
  });

  it('DI-10: a GV that failed with a transient error is fetched again on its next lookup', async () => {
    fx.state.aggregatedApi = false;
    fx.state.aggregatedApis = false;
    let calls = 0;
    server.use(
      http.get(`${BASE}/apis/batch/v1`, () => {
        calls++;
        return calls <= 2
          ? new HttpResponse('busy', { status: 503 })
          : HttpResponse.json({
              groupVersion: 'batch/v1',
              resources: [{ name: 'jobs', singularName: 'job', namespaced: true, kind: 'Job', verbs: [] }],
            });
      }),
    );
    const d = new DiscoveryClient(rest());
    // The bulk call fetches, then (like memcache) retries the transient failure once at once.
    await expect(d.serverGroupsAndResources()).rejects.toBeInstanceOf(GroupDiscoveryFailedError);
    expect(calls).toBe(2);
    const batch = await d.serverResourcesForGroupVersion('batch/v1');
    expect(batch.resources.map((r) => r.name)).toEqual(['jobs']);
    expect(calls).toBe(3);
  });

  it('DI-13: a refetch sends If-None-Match; 304 on both keeps the previous answer', async () => {
    fx.state.etag = '"abc"';
    const d = new DiscoveryClient(rest());
    const first = await d.serverGroups();
    d.invalidate();
    const second = await d.serverGroups();
    expect(second).toBe(first);
    expect(fx.state.hits.get('/apis')).toBe(2);
  });

  it('bad input: a non-list /apis body is a clear error', async () => {
    fx.state.aggregatedApis = false;
    server.use(http.get(`${BASE}/apis`, () => HttpResponse.json({ hello: 'world' })));
    await expect(new DiscoveryClient(rest()).serverGroups()).rejects.toThrow(/APIGroupList/);
  });

  it('DI-09: discovery clients default to burst 300 and a 32 s timeout, unless set', () => {
    expect(discoveryRESTClientOptions({ baseUrl: BASE })).toMatchObject({ burst: 300, timeoutMs: 32_000 });
    expect(discoveryRESTClientOptions({ baseUrl: BASE, burst: 20, timeoutMs: 1000 })).toMatchObject({
      burst: 20,
      timeoutMs: 1000,
    });
  });

  it('DI-09: each discovery request carries the 32 s timeout', async () => {
    const urls: string[] = [];
    server.events.on('request:start', ({ request }) => {
      urls.push(request.url);
    });
    await new DiscoveryClient(rest()).serverGroups();
    server.events.removeAllListeners();
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.every((u) => new URL(u).searchParams.get('timeout') === '32s')).toBe(true);
  });
});
