import { describe, expect, it } from 'vitest';
import type { CacheKey } from '../kube/cache/persistence.ts';
import { cacheKeyId } from './cache-key-id.ts';

const base: CacheKey = {
  context: 'kind',
  server: 'https://127.0.0.1:6443',
  user: 'admin',
  group: '',
  version: 'v1',
  resource: 'pods',
  namespace: '',
  labelSelector: '',
  fieldSelector: '',
};

describe('cacheKeyId', () => {
  it('BR-08: differs when any field differs', () => {
    const fields = Object.keys(base) as Array<keyof CacheKey>;
    const ids = new Set(fields.map((f) => cacheKeyId({ ...base, [f]: `${base[f]}x` })));
    ids.add(cacheKeyId(base));
    expect(ids.size).toBe(fields.length + 1);
  });

  it('cannot be made to collide by separators inside values', () => {
    const a = cacheKeyId({ ...base, labelSelector: 'a=b', fieldSelector: '' });
    const b = cacheKeyId({ ...base, labelSelector: 'a', fieldSelector: '=b' });
    expect(a).not.toBe(b);
  });

  it('ignores extra properties and rejects a missing field with a TypeError', () => {
    expect(cacheKeyId({ ...base, extra: 1 } as CacheKey)).toBe(cacheKeyId(base));
    const { user: _user, ...noUser } = base;
    expect(() => cacheKeyId(noUser as CacheKey)).toThrow(/user/);
  });
});
