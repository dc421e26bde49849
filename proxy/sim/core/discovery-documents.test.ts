// Discovery through the request path: legacy and aggregated documents (DI-01, DI-02, DI-05),
// ETag revalidation (DI-13), and CRDs appearing in and leaving discovery.
import { describe, expect, it } from 'vitest';
import { createSimCluster } from './sim-cluster.ts';
import { bodyJson, bodyText, buildSimRequest } from './sim-request-builder.ts';

const AGG_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
const AGG_V2BETA1 =
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

interface AggregatedList {
  kind: string;
  apiVersion: string;
  items: {
    metadata: { name?: string };
    versions: {
      version: string;
      resources: {
        resource: string;
        scope: string;
        responseKind: { group: string; version: string; kind: string };
        shortNames?: string[];
        categories?: string[];
        subresources?: { subresource: string }[];
      }[];
    }[];
  }[];
}

const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
    versions: [
      { name: 'v1beta1', served: true, storage: false },
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};

const get = async (
  cluster: ReturnType<typeof createSimCluster>,
  path: string,
  headers: Record<string, string> = {},
) => cluster.handle(buildSimRequest(path, { headers }));

describe('discovery documents', () => {
  it('/version reports v1.32 so kubectl 1.32 is picked', async () => {
    const body = await bodyJson(await get(createSimCluster(), '/version'));
    expect(body).toMatchObject({ major: '1', minor: '32' });
    expect(String(body.gitVersion)).toMatch(/^v1\.32\.\d+$/);
  });

  it('legacy /api, /api/v1, /apis, /apis/{g}, /apis/{g}/{v}', async () => {
    const c = createSimCluster();
    expect(await bodyJson(await get(c, '/api'))).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const core = await bodyJson<{ resources: { name: string }[] }>(await get(c, '/api/v1'));
    expect(core.resources.map((r) => r.name)).toContain('pods/status');
    const groups = await bodyJson<{
      kind: string;
      groups: { name: string; preferredVersion: { version: string } }[];
    }>(await get(c, '/apis'));
    expect(groups.kind).toBe('APIGroupList');
    expect(groups.groups.find((g) => g.name === 'autoscaling')?.preferredVersion.version).toBe('v2');
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining([
        'apps',
        'batch',
        'rbac.authorization.k8s.io',
        'events.k8s.io',
        'apiextensions.k8s.io',
      ]),
    );
    expect(await bodyJson(await get(c, '/apis/apps'))).toMatchObject({ kind: 'APIGroup', name: 'apps' });
    const net = await bodyJson<{
      groupVersion: string;
      resources: { name: string; namespaced: boolean; kind: string }[];
    }>(await get(c, '/apis/networking.k8s.io/v1'));
    expect(net.groupVersion).toBe('networking.k8s.io/v1');
    expect(net.resources.find((r) => r.name === 'ingresses')).toMatchObject({
      namespaced: true,
      kind: 'Ingress',
    });
    expect(net.resources.find((r) => r.name === 'ingressclasses')).toMatchObject({ namespaced: false });
    expect((await get(c, '/apis/nope')).status).toBe(404);
    expect((await get(c, '/apis/apps/v9')).status).toBe(404);
  });

  it('DI-01/DI-02: aggregated v2 for /api and /apis with the matching Content-Type', async () => {
    const c = createSimCluster();
    const api = await get(c, '/api', { accept: AGG_V2 });
    expect(api.headers['content-type']).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    const core = await bodyJson<AggregatedList>(api);
    expect(core.kind).toBe('APIGroupDiscoveryList');
    expect(core.items).toHaveLength(1);
    const pods = core.items[0]?.versions[0]?.resources.find((r) => r.resource === 'pods');
    expect(pods).toMatchObject({
      scope: 'Namespaced',
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
    });
    expect(pods?.subresources?.map((s) => s.subresource)).toContain('status');
    const apis = await bodyJson<AggregatedList>(await get(c, '/apis', { accept: AGG_V2 }));
    expect(apis.items.map((g) => g.metadata.name)).not.toContain('');
    const deploy = apis.items
      .find((g) => g.metadata.name === 'apps')
      ?.versions[0]?.resources.find((r) => r.resource === 'deployments');
    // DI-05: responseKind is filled in with the group and version, as a live server does.
    expect(deploy?.responseKind).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
  });

  it('serves v2beta1 when asked, and legacy JSON for plain application/json', async () => {
    const c = createSimCluster();
    const beta = await get(c, '/apis', { accept: AGG_V2BETA1 });
    expect(beta.headers['content-type']).toContain('v=v2beta1');
    expect((await bodyJson(beta)).apiVersion).toBe('apidiscovery.k8s.io/v2beta1');
    const legacy = await get(c, '/apis', { accept: 'application/json' });
    expect(legacy.headers['content-type']).toBe('application/json');
    expect((await bodyJson(legacy)).kind).toBe('APIGroupList');
  });

  it('DI-13: aggregated discovery answers If-None-Match with 304 until discovery changes', async () => {
    const c = createSimCluster();
    const first = await get(c, '/apis', { accept: AGG_V2 });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await get(c, '/apis', { accept: AGG_V2, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await bodyText(again.body)).toBe('');
    c.create(
      { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' },
      WIDGET_CRD,
    );
    const changed = await get(c, '/apis', { accept: AGG_V2, 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('a created CRD is served at every served version and listed in discovery; deleting it removes both', async () => {
    const c = createSimCluster();
    const create = await c.handle(
      buildSimRequest('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
        method: 'POST',
        body: WIDGET_CRD,
      }),
    );
    expect(create.status).toBe(201);
    const crd = await bodyJson<{ status: { conditions: { type: string; status: string }[] } }>(create);
    expect(crd.status.conditions.find((x) => x.type === 'Established')?.status).toBe('True');
    const apis = await bodyJson<AggregatedList>(await get(c, '/apis', { accept: AGG_V2 }));
    const group = apis.items.find((g) => g.metadata.name === 'example.com');
    expect(group?.versions.map((v) => v.version)).toEqual(['v1', 'v1beta1']);
    expect(group?.versions[0]?.resources[0]).toMatchObject({
      resource: 'widgets',
      scope: 'Namespaced',
      shortNames: ['wd'],
      categories: ['all'],
      responseKind: { group: 'example.com', version: 'v1', kind: 'Widget' },
    });
    expect(group?.versions[0]?.resources[0]?.subresources?.map((s) => s.subresource)).toEqual(['status']);
    expect((await bodyJson(await get(c, '/apis/example.com'))).preferredVersion).toEqual({
      groupVersion: 'example.com/v1',
      version: 'v1',
    });
    expect(
      c.resourceInfo({ group: 'example.com', version: 'v1', resource: 'widgets' })?.crd?.printerColumns,
    ).toEqual([{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }]);
    const w = await c.handle(
      buildSimRequest('/apis/example.com/v1/namespaces/default/widgets', {
        method: 'POST',
        body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } },
      }),
    );
    expect(w.status).toBe(201);
    // The same object is visible at the other served version, with that apiVersion.
    const beta = await bodyJson(await get(c, '/apis/example.com/v1beta1/namespaces/default/widgets/w1'));
    expect(beta.apiVersion).toBe('example.com/v1beta1');

    const refused = await c.handle(
      buildSimRequest('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com', {
        method: 'DELETE',
        body: { preconditions: { uid: 'not-it' } },
      }),
    );
    expect(refused.status).toBe(409);
    expect((await get(c, '/apis/example.com/v1/namespaces/default/widgets/w1')).status).toBe(200);
    const del = await c.handle(
      buildSimRequest('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com', {
        method: 'DELETE',
      }),
    );
    expect(del.status).toBe(200);
    const after = await bodyJson<AggregatedList>(await get(c, '/apis', { accept: AGG_V2 }));
    expect(after.items.map((g) => g.metadata.name)).not.toContain('example.com');
    expect((await get(c, '/apis/example.com/v1/namespaces/default/widgets')).status).toBe(404);
  });

  it('an invalid CRD is 422 with causes and serves nothing', async () => {
    const c = createSimCluster();
    const bad = {
      ...WIDGET_CRD,
      metadata: { name: 'wrong.example.com' },
      spec: { ...WIDGET_CRD.spec, scope: 'Galaxy' },
    };
    const res = await c.handle(
      buildSimRequest('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
        method: 'POST',
        body: bad,
      }),
    );
    expect(res.status).toBe(422);
    const status = await bodyJson<{ details: { causes: { field: string }[] } }>(res);
    expect(status.details.causes.map((x) => x.field).sort()).toEqual(['metadata.name', 'spec.scope']);
    expect(c.resourceInfo({ group: 'example.com', version: 'v1', resource: 'widgets' })).toBeUndefined();
  });

  it('/openapi/v3 indexes every group version, including CRDs; /openapi/v2 is 404', async () => {
    const c = createSimCluster();
    c.create(
      { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' },
      WIDGET_CRD,
    );
    const index = await bodyJson<{ paths: Record<string, { serverRelativeURL: string }> }>(
      await get(c, '/openapi/v3'),
    );
    expect(Object.keys(index.paths)).toEqual(
      expect.arrayContaining(['api/v1', 'apis/apps/v1', 'apis/example.com/v1']),
    );
    const url = index.paths['apis/apps/v1']?.serverRelativeURL as string;
    const doc = await get(c, url.split('?')[0] as string);
    expect(doc.status).toBe(200);
    expect((await bodyJson(doc)).openapi).toBe('3.0.0');
    expect((await get(c, '/openapi/v2')).status).toBe(404);
  });
});
