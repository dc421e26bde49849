import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { RESTClient } from '../rest/rest-client.ts';
import { StatusError } from '../rest/status-error.ts';
import { CachedDiscoveryClient, DEFAULT_DISCOVERY_TTL_MS } from './cached-discovery.ts';
import { MemoryDiscoveryCacheStorage } from './discovery-cache-storage.ts';
import { DiscoveryClient } from './discovery-client.ts';
import { CacheNotFoundError } from './discovery-errors.ts';

import { serveDiscoveryFixtures } from './discovery-fixture-server.ts';

const BASE = 'http://kube.test/clusters/ctx';
const fx = serveDiscoveryFixtures(BASE);

function make(storage: MemoryDiscoveryCacheStorage, clock: FakeClock) {
  const delegate = new DiscoveryClient(new RESTClient({ baseUrl: BASE, qps: -1, maxRetries: 0 }));
  return new CachedDiscoveryClient(delegate, storage, { clock });
}

describe('CachedDiscoveryClient (DI-11, DI-13)', () => {
  it('DI-11: writes servergroups and {gv}/serverresources; a second client serves them without fetching', async () => {
    const storage = new MemoryDiscoveryCacheStorage();
    const clock = new FakeClock(1_000_000);
    const a = make(storage, clock);
    await a.serverGroupsAndResources();
    expect(storage.entries.has('servergroups')).toBe(true);
    expect(storage.entries.has('apps/v1/serverresources')).toBe(true);
    expect(storage.entries.has('v1/serverresources')).toBe(true);
    expect(a.fresh()).toBe(true);

    const b = make(storage, clock);
    const gr = await b.serverGroupsAndResources();
    expect(gr.resources.get('apps/v1')?.resources.some((r) => r.name === 'deployments')).toBe(true);
    expect(fx.state.hits.get('/apis')).toBe(1);
    // DI-11: served entries were written by someone else
    expect(b.fresh()).toBe(false);
  });

  it('DI-11: default TTL is 10 minutes; an expired entry is fetched again', async () => {
    expect(DEFAULT_DISCOVERY_TTL_MS).toBe(600_000);
    const storage = new MemoryDiscoveryCacheStorage();
    const clock = new FakeClock(0);
    const c = make(storage, clock);
    await c.serverGroups();
    clock.step(599_999);
    await c.serverGroups();
    expect(fx.state.hits.get('/apis')).toBe(1);
    clock.step(1);
    await c.serverGroups();
    expect(fx.state.hits.get('/apis')).toBe(2);
  });

  it('DI-11: invalidate() makes older entries unusable and resets fresh() to true', async () => {
    const storage = new MemoryDiscoveryCacheStorage();
    const clock = new FakeClock(5_000);
    await make(storage, clock).serverGroups();
    clock.step(10);
    const c = make(storage, clock);
    await c.serverGroups();
    expect(c.fresh()).toBe(false);
    c.invalidate();
    expect(c.fresh()).toBe(true);
    await c.serverGroups();
    expect(fx.state.hits.get('/apis')).toBe(2);
    expect(c.fresh()).toBe(true);
  });

  it('DI-11: a 404 on a discovered resource invalidates the cache', async () => {
    const storage = new MemoryDiscoveryCacheStorage();
    const clock = new FakeClock(5_000);
    const c = make(storage, clock);
    await c.serverGroups();
    const notFound = new StatusError({ status: 'Failure', code: 404, reason: 'NotFound' });
    expect(
      c.invalidateOnNotFound(new StatusError({ status: 'Failure', code: 500, reason: 'InternalError' })),
    ).toBe(false);
    expect(c.invalidateOnNotFound(notFound)).toBe(true);
    await c.serverGroups();
    expect(fx.state.hits.get('/apis')).toBe(2);
  });

  it('DI-13: an expired entry is revalidated with If-None-Match; 304 refreshes timestamps', async () => {
    fx.state.etag = '"v1"';
    const storage = new MemoryDiscoveryCacheStorage();
    const clock = new FakeClock(0);
    const c = make(storage, clock);
    const first = await c.serverGroups();
    clock.step(DEFAULT_DISCOVERY_TTL_MS + 1);
    const second = await c.serverGroups();
    expect(second).toEqual(first);
    expect(fx.state.hits.get('/apis')).toBe(2);
    expect(storage.entries.get('servergroups')?.writtenAt).toBe(DEFAULT_DISCOVERY_TTL_MS + 1);
    expect(storage.entries.get('apps/v1/serverresources')?.writtenAt).toBe(DEFAULT_DISCOVERY_TTL_MS + 1);
    await c.serverGroups();
    expect(fx.state.hits.get('/apis')).toBe(2);
  });

  it('DI-10: an unknown GV is CacheNotFound; legacy GVs are fetched once and stored', async () => {
    fx.state.aggregatedApi = false;
    const storage = new MemoryDiscoveryCacheStorage();
    const c = make(storage, new FakeClock(0));
    await expect(c.serverResourcesForGroupVersion('nope.io/v1')).rejects.toBeInstanceOf(CacheNotFoundError);
    const core = await c.serverResourcesForGroupVersion('v1');
    expect(core.resources.some((r) => r.name === 'pods')).toBe(true);
    await c.serverResourcesForGroupVersion('v1');
    expect(fx.state.hits.get('/api/v1')).toBe(1);
  });

  it('storage failures are not fatal: the answer is still served', async () => {
    const broken = new MemoryDiscoveryCacheStorage();
    broken.get = async () => {
      throw new Error('db closed');
    };
    broken.put = async () => {
      throw new Error('quota');
    };
    const c = make(broken, new FakeClock(0));
    const groups = await c.serverGroups();
    expect(groups.length).toBeGreaterThan(5);
  });
});
