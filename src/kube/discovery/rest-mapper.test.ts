import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { RESTClient } from '../rest/rest-client.ts';
import { CachedDiscoveryClient } from './cached-discovery.ts';
import { MemoryDiscoveryCacheStorage } from './discovery-cache-storage.ts';
import { DiscoveryClient } from './discovery-client.ts';
import { widgetsGroup } from './discovery-fixture-handlers.ts';
import { serveDiscoveryFixtures } from './discovery-fixture-server.ts';
import { isNoMatchError, RESTMapper } from './rest-mapper.ts';

const BASE = 'http://kube.test/clusters/ctx';
const fx = serveDiscoveryFixtures(BASE);

const discovery = () => new DiscoveryClient(new RESTClient({ baseUrl: BASE, qps: -1, maxRetries: 0 }));

describe('RESTMapper', () => {
  it.each([
    ['po', '', 'v1', 'pods'],
    ['pod', '', 'v1', 'pods'],
    ['Pods', '', 'v1', 'pods'],
    ['svc', '', 'v1', 'services'],
    ['deploy', 'apps', 'v1', 'deployments'],
    ['deployments.apps', 'apps', 'v1', 'deployments'],
    ['deploy.v1.apps', 'apps', 'v1', 'deployments'],
    ['widgets.example.com', 'example.com', 'v1', 'widgets'],
    ['wd', 'example.com', 'v1', 'widgets'],
    ['hpa', 'autoscaling', 'v2', 'horizontalpodautoscalers'],
    ['hpa.v1.autoscaling', 'autoscaling', 'v1', 'horizontalpodautoscalers'],
    ['ev', '', 'v1', 'events'],
    ['events.events.k8s.io', 'events.k8s.io', 'v1', 'events'],
    ['crd', 'apiextensions.k8s.io', 'v1', 'customresourcedefinitions'],
  ])('kubectl name %s → %s/%s %s', async (arg, group, version, resource) => {
    const m = new RESTMapper(discovery());
    expect(await m.resourceFor(arg)).toEqual({ group, version, resource });
  });

  it('kind ↔ resource, scope and preferred version', async () => {
    const m = new RESTMapper(discovery());
    expect(await m.kindFor('deploy')).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    const nodes = await m.restMappingForResource('no');
    expect(nodes.namespaced).toBe(false);
    const dep = await m.restMapping({ group: 'apps', kind: 'Deployment' });
    expect(dep).toMatchObject({
      resource: { group: 'apps', version: 'v1', resource: 'deployments' },
      namespaced: true,
      singular: 'deployment',
    });
    const hpa = await m.restMappingForObject({
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
    });
    expect(hpa.resource.version).toBe('v1');
    const cm = await m.restMappingForObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(cm.resource).toEqual({ group: '', version: 'v1', resource: 'configmaps' });
    expect((await m.resourcesForCategory('all')).map((x) => x.resource.resource)).toEqual(
      expect.arrayContaining(['pods', 'services', 'deployments', 'widgets']),
    );
  });

  it('unknown names, kinds and versions are NoMatchError; bad input is rejected', async () => {
    const m = new RESTMapper(discovery());
    await expect(m.resourceFor('flux-capacitors')).rejects.toSatisfy(isNoMatchError);
    await expect(m.restMapping({ group: 'apps', kind: 'Deployment' }, ['v9'])).rejects.toSatisfy(
      isNoMatchError,
    );
    await expect(m.resourceFor('pods..')).rejects.toSatisfy(isNoMatchError);
    await expect(m.restMappingForObject({ kind: 'Pod' })).rejects.toThrow(/apiVersion/);
  });

  it('DI-12: a miss on stale cached discovery invalidates and retries once (a new CRD is found)', async () => {
    const storage = new MemoryDiscoveryCacheStorage();
    const clock = new FakeClock(1000);
    const rest = new RESTClient({ baseUrl: BASE, qps: -1, maxRetries: 0 });
    fx.state.extraGroups = [];
    await new CachedDiscoveryClient(new DiscoveryClient(rest), storage, { clock }).serverGroupsAndResources();
    clock.step(1000);
    // A new page load: the cache is still within its TTL, but a CRD was installed meanwhile.
    fx.state.extraGroups = [widgetsGroup];
    const cached = new CachedDiscoveryClient(new DiscoveryClient(rest), storage, { clock });
    const m = new RESTMapper(cached);
    expect(await m.resourceFor('pods')).toEqual({ group: '', version: 'v1', resource: 'pods' });
    expect(cached.fresh()).toBe(false);
    expect(await m.resourceFor('widgets')).toEqual({
      group: 'example.com',
      version: 'v1',
      resource: 'widgets',
    });
    expect(fx.state.hits.get('/apis')).toBe(2);
    // Now fresh: a miss does not refetch again.
    await expect(m.resourceFor('gadgets')).rejects.toSatisfy(isNoMatchError);
    expect(fx.state.hits.get('/apis')).toBe(2);
  });
});
