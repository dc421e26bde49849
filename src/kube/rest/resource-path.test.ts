import { describe, expect, it } from 'vitest';
import { resourcePath } from './resource-path.ts';

describe('resourcePath (RC-01)', () => {
  it('RC-01: core group lives under /api with no group segment', () => {
    expect(
      resourcePath({ group: '', version: 'v1', namespace: 'default', resource: 'pods', name: 'web' }),
    ).toBe('/api/v1/namespaces/default/pods/web');
  });
  it('RC-01: named groups live under /apis/{group}/{version}', () => {
    expect(
      resourcePath({
        group: 'apps',
        version: 'v1',
        namespace: 'ns',
        resource: 'deployments',
        name: 'd',
        subresource: 'scale',
      }),
    ).toBe('/apis/apps/v1/namespaces/ns/deployments/d/scale');
  });
  it('RC-01: an empty namespace leaves out the namespaces segment', () => {
    expect(resourcePath({ group: '', version: 'v1', namespace: '', resource: 'nodes' })).toBe(
      '/api/v1/nodes',
    );
  });
  it('percent-encodes segments and rejects slashes and dot segments', () => {
    expect(resourcePath({ version: 'v1', resource: 'configmaps', name: 'a b:c' })).toBe(
      '/api/v1/configmaps/a%20b%3Ac',
    );
    expect(() => resourcePath({ version: 'v1', resource: 'pods', name: 'a/b' })).toThrow(/may not contain/);
    expect(() => resourcePath({ version: 'v1', resource: 'pods', name: '..' })).toThrow(/invalid name/);
  });
  it('requires a version, and a name for a subresource', () => {
    expect(() => resourcePath({ version: '' })).toThrow(/version is required/);
    expect(() => resourcePath({ version: 'v1', resource: 'pods', subresource: 'status' })).toThrow(
      /needs a name/,
    );
  });
});
