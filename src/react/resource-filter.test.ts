import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCatalog, groupsFromAggregated, versionFromResourceList } from './resource-catalog.ts';
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

const catalog = buildCatalog([
  ...groupsFromAggregated(fixture('aggregated_v2.json')),
  ...groupsFromAggregated(widgets),
  { name: '', versions: [versionFromResourceList(fixture('api__v1.json'), '', 'v1', true)] },
]);

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
