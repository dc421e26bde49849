import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitAggregated } from '../kube/discovery/aggregated-discovery.ts';
import type { APIGroupDiscoveryList, APIResourceList } from '../kube/discovery/discovery-types.ts';
import { catalogFromDiscovery } from './resource-catalog.ts';
import { filterCatalog, resolveResource } from './resource-filter.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../proxy/sim/fixtures/discovery/${name}`, import.meta.url), 'utf8'));

const widgets = {
  kind: 'APIGroupDiscoveryList',
  items: [
    {
      metadata: { name: 'example.com' },
      versions: [
        {
          version: 'v1',
          resources: [
            {
              resource: 'widgets',
              singularResource: 'widget',
              responseKind: { kind: 'Widget' },
              scope: 'Namespaced',
              shortNames: ['wd'],
              verbs: ['list', 'watch'],
            },
          ],
        },
      ],
    },
  ],
};

// What src/kube/discovery hands over: the aggregated groups plus the core group from a legacy
// APIResourceList (the mix a CachedDiscoveryClient may serve).
const discovered = splitAggregated(
  fixture('aggregated_v2.json') as APIGroupDiscoveryList,
  widgets as unknown as APIGroupDiscoveryList,
);
discovered.groups.unshift({
  name: '',
  versions: [{ groupVersion: 'v1', version: 'v1' }],
  preferredVersion: { groupVersion: 'v1', version: 'v1' },
});
discovered.resources.set('v1', fixture('api__v1.json') as APIResourceList);
discovered.failed.set('metrics.k8s.io/v1beta1', new Error('503 service unavailable'));
const catalog = catalogFromDiscovery(discovered);

const ids = (c: ReturnType<typeof filterCatalog>) =>
  c.groups.flatMap((g) =>
    g.versions.flatMap((v) => v.resources.map((r) => `${r.resource}.${v.version}.${g.name}`)),
  );

describe('resource filter', () => {
  it('lists the core group first, then groups alphabetically', () => {
    const names = catalog.groups.map((g) => g.name);
    expect(names[0]).toBe('');
    expect(names.slice(1)).toEqual([...names.slice(1)].sort());
  });

  it('finds resources by kubectl short names', () => {
    expect(ids(filterCatalog(catalog, 'po'))).toContain('pods.v1.');
    expect(resolveResource(catalog, 'po')?.resource).toBe('pods');
    expect(resolveResource(catalog, 'deploy')).toMatchObject({ group: 'apps', resource: 'deployments' });
    expect(resolveResource(catalog, 'svc')?.resource).toBe('services');
    expect(resolveResource(catalog, 'wd')?.resource).toBe('widgets');
  });

  it('finds kinds, singulars and group-qualified names', () => {
    expect(resolveResource(catalog, 'Deployment')?.resource).toBe('deployments');
    expect(resolveResource(catalog, 'pod')?.resource).toBe('pods');
    expect(resolveResource(catalog, 'widgets.example.com')).toMatchObject({
      group: 'example.com',
      kind: 'Widget',
    });
    expect(resolveResource(catalog, 'deployments.v1.apps')?.group).toBe('apps');
  });

  it('prefers the preferred version and the core group for ambiguous names', () => {
    // "events" exists in core v1 and events.k8s.io/v1; kubectl picks core first.
    expect(resolveResource(catalog, 'ev')?.group).toBe('');
    // autoscaling lists v2 first (preferred), v1 second.
    expect(resolveResource(catalog, 'hpa')?.version).toBe('v2');
  });

  it('falls back to substring matching and drops empty groups', () => {
    const result = filterCatalog(catalog, 'secr');
    expect(ids(result)).toEqual(['secrets.v1.']);
    expect(filterCatalog(catalog, 'no-such-thing').groups).toEqual([]);
  });
});

describe('catalog from discovery', () => {
  it('keeps failed group versions (DI-07) and marks only the preferred version', () => {
    expect(catalog.failed).toEqual([
      { groupVersion: 'metrics.k8s.io/v1beta1', message: '503 service unavailable' },
    ]);
    const autoscaling = catalog.groups.find((g) => g.name === 'autoscaling');
    expect(autoscaling?.versions.map((v) => `${v.version}:${v.preferred}`)).toEqual(['v2:true', 'v1:false']);
    // Subresources ("pods/log") are not resources of the tree.
    const core = catalog.groups[0]?.versions[0]?.resources.map((r) => r.resource) ?? [];
    expect(core).toContain('pods');
    expect(core.some((r) => r.includes('/'))).toBe(false);
  });

  it('the tree filter marks a version-qualified name exact only in that version', () => {
    const filtered = filterCatalog(catalog, 'hpa');
    expect(ids(filtered)).toEqual(
      expect.arrayContaining([
        'horizontalpodautoscalers.v2.autoscaling',
        'horizontalpodautoscalers.v1.autoscaling',
      ]),
    );
    expect(ids(filterCatalog(catalog, 'horizontalpodautoscalers.v1.autoscaling'))).toEqual([
      'horizontalpodautoscalers.v1.autoscaling',
    ]);
  });
});
