import { describe, expect, it } from 'vitest';
import {
  type JsonObject,
  type OpenApiResource,
  openapiV3Document,
  openapiV3DocumentHash,
  openapiV3Index,
  schemaPackage,
} from './openapi.ts';

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const core: OpenApiResource[] = [
  { kind: 'Pod', resource: 'pods', namespaced: true, verbs: ALL_VERBS },
  { kind: 'Pod', resource: 'pods/status', namespaced: true, verbs: ['get', 'patch', 'update'] },
  {
    kind: 'Namespace',
    resource: 'namespaces',
    namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  { kind: 'ConfigMap', resource: 'configmaps', namespaced: true, verbs: ALL_VERBS },
  { kind: 'Binding', resource: 'bindings', namespaced: true, verbs: ['create'] },
];

function patchOperationFor(
  doc: { paths: Record<string, JsonObject> },
  gvk: { group: string; version: string; kind: string },
) {
  // What kubectl's QueryParamVerifierV3 does: find the PATCH operation tagged with this GVK.
  for (const item of Object.values(doc.paths)) {
    const patch = item.patch as JsonObject | undefined;
    const ext = patch?.['x-kubernetes-group-version-kind'] as Record<string, string> | undefined;
    if (ext && ext.group === gvk.group && ext.version === gvk.version && ext.kind === gvk.kind) return patch;
  }
  return undefined;
}

describe('openapi v3 index', () => {
  it('maps each group-version to a hashed server-relative URL', () => {
    const index = openapiV3Index([
      { group: '', version: 'v1' },
      { group: 'apps', version: 'v1', hash: 'ABC123' },
      { group: 'example.com', version: 'v1' },
    ]);
    expect(Object.keys(index.paths)).toEqual(['api/v1', 'apis/apps/v1', 'apis/example.com/v1']);
    expect(index.paths['apis/apps/v1']).toEqual({
      serverRelativeURL: '/openapi/v3/apis/apps/v1?hash=ABC123',
    });
    expect(index.paths['api/v1']?.serverRelativeURL).toMatch(/^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{16}$/);
  });

  it('hashes documents by content', () => {
    const a = openapiV3Document({ group: '', version: 'v1' }, core);
    const b = openapiV3Document({ group: '', version: 'v1' }, core);
    const c = openapiV3Document({ group: '', version: 'v1' }, core.slice(0, 1));
    expect(openapiV3DocumentHash(a)).toBe(openapiV3DocumentHash(b));
    expect(openapiV3DocumentHash(a)).not.toBe(openapiV3DocumentHash(c));
  });
});

describe('openapi v3 documents', () => {
  const doc = openapiV3Document({ group: '', version: 'v1' }, core);

  it('names schemas like the apiserver', () => {
    expect(schemaPackage({ group: '', version: 'v1' })).toBe('io.k8s.api.core.v1');
    expect(schemaPackage({ group: 'apps', version: 'v1' })).toBe('io.k8s.api.apps.v1');
    expect(schemaPackage({ group: 'rbac.authorization.k8s.io', version: 'v1' })).toBe('io.k8s.api.rbac.v1');
    expect(schemaPackage({ group: 'networking.k8s.io', version: 'v1' })).toBe('io.k8s.api.networking.v1');
    expect(schemaPackage({ group: 'apiextensions.k8s.io', version: 'v1' })).toBe(
      'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1',
    );
    expect(schemaPackage({ group: 'example.com', version: 'v1' })).toBe('com.example.v1');
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'io.k8s.api.core.v1.Pod',
        'io.k8s.api.core.v1.PodList',
        'io.k8s.api.core.v1.Namespace',
        'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        'io.k8s.apimachinery.pkg.apis.meta.v1.Status',
      ]),
    );
  });

  it('tags kind schemas with x-kubernetes-group-version-kind (a list, as kubectl reads it)', () => {
    expect(doc.components.schemas['io.k8s.api.core.v1.Pod']?.['x-kubernetes-group-version-kind']).toEqual([
      { group: '', version: 'v1', kind: 'Pod' },
    ]);
    expect(doc.components.schemas['io.k8s.api.core.v1.PodList']?.['x-kubernetes-group-version-kind']).toEqual(
      [{ group: '', version: 'v1', kind: 'PodList' }],
    );
  });

  it('publishes namespaced, cluster-scoped and all-namespaces paths for the verbs served', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/api/v1/namespaces/{namespace}/bindings',
        '/api/v1/namespaces/{namespace}/configmaps',
        '/api/v1/namespaces/{namespace}/configmaps/{name}',
        '/api/v1/configmaps',
        '/api/v1/namespaces/{namespace}/pods',
        '/api/v1/namespaces/{namespace}/pods/{name}',
        '/api/v1/pods',
        '/api/v1/namespaces',
        '/api/v1/namespaces/{name}',
      ].sort(),
    );
    const namespaces = doc.paths['/api/v1/namespaces'] ?? {};
    expect(namespaces.delete).toBeUndefined(); // no deletecollection verb
    expect((namespaces.post as JsonObject).operationId).toBe('createCoreV1Namespace');
    const bindings = doc.paths['/api/v1/namespaces/{namespace}/bindings'] ?? {};
    expect(Object.keys(bindings).sort()).toEqual(['parameters', 'post']);
  });

  it('offers fieldValidation on PATCH so kubectl uses server-side validation', () => {
    const patch = patchOperationFor(doc, { group: '', version: 'v1', kind: 'Pod' });
    if (patch === undefined) throw new Error('no PATCH operation for Pod');
    const params = (patch.parameters as JsonObject[]).map((p) => p.name);
    expect(params).toContain('fieldValidation');
    expect(patch.operationId).toBe('patchCoreV1NamespacedPod');
    const body = (patch.requestBody as JsonObject).content as JsonObject;
    expect(Object.keys(body)).toEqual([
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/apply-patch+yaml',
    ]);
  });

  it('gives built-in kinds a permissive schema with real ObjectMeta', () => {
    const pod = doc.components.schemas['io.k8s.api.core.v1.Pod'] ?? {};
    const props = pod.properties as JsonObject;
    expect(Object.keys(props)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(pod['x-kubernetes-preserve-unknown-fields']).toBe(true);
    const cm = doc.components.schemas['io.k8s.api.core.v1.ConfigMap'] ?? {};
    expect(Object.keys(cm.properties as JsonObject)).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'data',
      'binaryData',
      'immutable',
    ]);
    const meta = doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'] ?? {};
    expect(Object.keys(meta.properties as JsonObject)).toEqual(
      expect.arrayContaining([
        'name',
        'namespace',
        'labels',
        'annotations',
        'ownerReferences',
        'resourceVersion',
      ]),
    );
  });

  it('uses a CRD schema for a custom resource and adds the standard fields', () => {
    const crdSchema = {
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { color: { type: 'string' }, size: { type: 'integer' } } },
      },
    };
    const widgets = openapiV3Document({ group: 'example.com', version: 'v1' }, [
      { kind: 'Widget', resource: 'widgets', namespaced: true, verbs: ALL_VERBS, crdSchema },
    ]);
    const schema = widgets.components.schemas['com.example.v1.Widget'] ?? {};
    expect(Object.keys(schema.properties as JsonObject).sort()).toEqual([
      'apiVersion',
      'kind',
      'metadata',
      'spec',
    ]);
    expect(schema['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.com', version: 'v1', kind: 'Widget' },
    ]);
    expect(crdSchema.properties).not.toHaveProperty('metadata'); // the input is not modified
    expect(
      patchOperationFor(widgets, { group: 'example.com', version: 'v1', kind: 'Widget' })?.operationId,
    ).toBe('patchExampleComV1NamespacedWidget');
    expect(Object.keys(widgets.paths)).toContain(
      '/apis/example.com/v1/namespaces/{namespace}/widgets/{name}',
    );
  });

  it('rejects a resource without a kind', () => {
    expect(() =>
      openapiV3Document({ group: 'apps', version: 'v1' }, [
        { kind: '', resource: 'x', namespaced: true, verbs: [] },
      ]),
    ).toThrow(/needs a kind/);
  });
});
