import { describe, expect, it } from 'vitest';
import { parseRequestPath } from './request-info.ts';
import { SimStatusError } from './status.ts';

describe('parseRequestPath', () => {
  it.each([
    ['/', { kind: 'root' }],
    ['/version', { kind: 'version' }],
    ['/healthz', { kind: 'health', name: 'healthz' }],
    ['/api', { kind: 'api' }],
    ['/api/', { kind: 'api' }],
    ['/api/v1', { kind: 'apiVersion', version: 'v1' }],
    ['/apis', { kind: 'apis' }],
    ['/apis/apps', { kind: 'group', group: 'apps' }],
    ['/apis/apps/v1', { kind: 'groupVersion', group: 'apps', version: 'v1' }],
    ['/openapi/v3/apis/apps/v1', { kind: 'openapi', segments: ['v3', 'apis', 'apps', 'v1'] }],
    ['/nope', { kind: 'unknown' }],
  ])('%s', (path, expected) => {
    expect(parseRequestPath(path)).toEqual(expected);
  });

  it.each([
    ['/api/v1/pods', { group: '', version: 'v1', namespace: '', resource: 'pods' }],
    ['/api/v1/namespaces/ns/pods', { namespace: 'ns', resource: 'pods' }],
    ['/api/v1/namespaces/ns/pods/p', { namespace: 'ns', resource: 'pods', name: 'p' }],
    ['/api/v1/namespaces/ns/pods/p/status', { resource: 'pods', name: 'p', subresource: 'status' }],
    [
      '/api/v1/namespaces/ns/pods/p/proxy/x',
      { resource: 'pods', name: 'p', subresource: 'proxy', extra: true },
    ],
    // A namespace is itself addressed under /namespaces/{name}, with its own subresources.
    ['/api/v1/namespaces', { namespace: '', resource: 'namespaces' }],
    ['/api/v1/namespaces/ns', { namespace: 'ns', resource: 'namespaces', name: 'ns' }],
    ['/api/v1/namespaces/ns/status', { resource: 'namespaces', name: 'ns', subresource: 'status' }],
    ['/api/v1/namespaces/ns/finalize', { resource: 'namespaces', name: 'ns', subresource: 'finalize' }],
    [
      '/apis/apps/v1/namespaces/ns/deployments/d/scale',
      { group: 'apps', resource: 'deployments', name: 'd', subresource: 'scale' },
    ],
    [
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Aadmin',
      { resource: 'clusterroles', name: 'system:admin' },
    ],
  ])('resource path %s', (path, expected) => {
    expect(parseRequestPath(path)).toMatchObject({ kind: 'resource', ...expected });
  });

  it('answers a malformed percent-encoding with 400', () => {
    expect(() => parseRequestPath('/api/v1/namespaces/%E0%A4%A')).toThrow(SimStatusError);
  });
});
