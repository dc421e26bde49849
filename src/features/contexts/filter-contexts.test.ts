import { describe, expect, it } from 'vitest';
import type { ContextInfo } from '../../../proxy/contract/api.ts';
import { filterContexts } from './filter-contexts.ts';

const ctx = (name: string, server: string, user = 'admin'): ContextInfo => ({
  name,
  cluster: `${name}-cluster`,
  server,
  namespace: 'default',
  user,
});

const all = [
  ctx('prod-eu', 'https://10.0.0.1:6443'),
  ctx('prod-us', 'https://10.0.0.2:6443', 'oidc'),
  ctx('staging', 'https://127.0.0.1:7001'),
];

describe('filterContexts', () => {
  it('keeps every context, in order, for an empty or blank query', () => {
    expect(filterContexts(all, '').map((c) => c.name)).toEqual(['prod-eu', 'prod-us', 'staging']);
    expect(filterContexts(all, '   ').map((c) => c.name)).toEqual(['prod-eu', 'prod-us', 'staging']);
  });

  it('matches names case-insensitively', () => {
    expect(filterContexts(all, 'PROD').map((c) => c.name)).toEqual(['prod-eu', 'prod-us']);
  });

  it('requires every term, each in any field', () => {
    expect(filterContexts(all, 'prod oidc').map((c) => c.name)).toEqual(['prod-us']);
    expect(filterContexts(all, '127.0.0.1').map((c) => c.name)).toEqual(['staging']);
    expect(filterContexts(all, 'prod 127.0.0.1')).toEqual([]);
  });

  it('treats regular-expression characters literally', () => {
    expect(filterContexts(all, '.*')).toEqual([]);
    expect(filterContexts(all, ':6443').map((c) => c.name)).toEqual(['prod-eu', 'prod-us']);
  });
});
