import { describe, expect, it } from 'vitest';
import { createSimCluster } from './sim-cluster.ts';
import { bodyJson, buildSimRequest } from './sim-request-builder.ts';

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

function setup() {
  const cluster = createSimCluster();
  const call = async (path: string, init: Parameters<typeof buildSimRequest>[1] = {}) => {
    const res = await cluster.handle(buildSimRequest(path, init));
    return { status: res.status, body: await bodyJson<Record<string, unknown>>(res) };
  };
  return { cluster, call };
}

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }],
    },
  },
  status: { replicas: 2 },
};

describe('scale subresource', () => {
  it('GET shows spec/status replicas and the selector as a string', async () => {
    const { call, cluster } = setup();
    cluster.create(
      { group: 'apps', version: 'v1', resource: 'deployments' },
      { ...deployment, metadata: { name: 'web', namespace: 'default' } },
    );
    const { status, body } = await call(`${DEPLOY}/web/scale`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2 },
      status: { replicas: 2, selector: 'app=web,tier in (a,b)' },
    });
  });

  it('PATCH and PUT change spec.replicas, bump generation, and answer the new Scale', async () => {
    const { call } = setup();
    await call(DEPLOY, { method: 'POST', body: deployment });
    const patched = await call(`${DEPLOY}/web/scale`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { spec: { replicas: 5 } },
    });
    expect(patched.body.spec).toEqual({ replicas: 5 });
    const d = await call(`${DEPLOY}/web`);
    expect(d.body.spec).toMatchObject({ replicas: 5 });
    expect((d.body.metadata as { generation: number }).generation).toBe(2);
    const scale = (await call(`${DEPLOY}/web/scale`)).body;
    const put = await call(`${DEPLOY}/web/scale`, {
      method: 'PUT',
      body: { ...scale, spec: { replicas: 1 } },
    });
    expect(put.body.spec).toEqual({ replicas: 1 });
    const stale = await call(`${DEPLOY}/web/scale`, {
      method: 'PUT',
      body: { ...scale, spec: { replicas: 3 } },
    });
    expect(stale.status).toBe(409);
    const negative = await call(`${DEPLOY}/web/scale`, {
      method: 'PUT',
      body: { kind: 'Scale', spec: { replicas: -1 } },
    });
    expect(negative.status).toBe(422);
    expect((await call(`${DEPLOY}/nope/scale`)).status).toBe(404);
  });

  it('custom resources scale through the CRD specReplicasPath', async () => {
    const { call } = setup();
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'pools.demo.io' },
      spec: {
        group: 'demo.io',
        scope: 'Namespaced',
        names: { plural: 'pools', kind: 'Pool' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            subresources: { scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size' } },
          },
        ],
      },
    };
    expect((await call(CRDS, { method: 'POST', body: crd })).status).toBe(201);
    await call('/apis/demo.io/v1/namespaces/default/pools', {
      method: 'POST',
      body: { apiVersion: 'demo.io/v1', kind: 'Pool', metadata: { name: 'p' }, spec: { size: 1 } },
    });
    const res = await call('/apis/demo.io/v1/namespaces/default/pools/p/scale', {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { spec: { replicas: 4 } },
    });
    expect(res.body.spec).toEqual({ replicas: 4 });
    expect((await call('/apis/demo.io/v1/namespaces/default/pools/p')).body.spec).toEqual({ size: 4 });
  });

  it('resources without a scale subresource answer 404', async () => {
    const { call } = setup();
    expect((await call('/api/v1/namespaces/default/configmaps/x/scale')).status).toBe(404);
  });
});
