import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROUTE,
  formatRoute,
  parseGvr,
  parseRoute,
  type Route,
  resolveNamespaces,
} from './route-url.ts';

describe('route-url', () => {
  it('round-trips a full route through the query string', () => {
    const route: Route = {
      context: 'kind-dev',
      gvr: { group: 'apps', version: 'v1', resource: 'deployments' },
      namespaces: { kind: 'some', names: ['default', 'kube-system'] },
      labelSelector: 'app=web,tier!=db',
      fieldSelector: 'metadata.name=web',
      selected: { namespace: 'default', name: 'web' },
      view: 'resources',
    };
    const text = formatRoute(route);
    expect(text.startsWith('?ctx=kind-dev')).toBe(true);
    expect(parseRoute(text)).toEqual(route);
  });

  it('keeps the core group and cluster-scoped selections distinct', () => {
    const route: Route = {
      ...EMPTY_ROUTE,
      context: 'c',
      gvr: { group: '', version: 'v1', resource: 'nodes' },
      namespaces: { kind: 'all' },
      selected: { namespace: '', name: 'node-1' },
      view: 'events',
    };
    expect(formatRoute(route)).toBe('?ctx=c&v=events&r=v1%2Fnodes&ns=*&o=node-1');
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('treats malformed parameters as absent instead of throwing', () => {
    const route = parseRoute('?r=a/b/c/d&ns=Bad_NS,,&o=a/b/c&v=nope');
    expect(route.gvr).toBeNull();
    expect(route.namespaces).toEqual({ kind: 'default' });
    expect(route.selected).toBeNull();
    expect(route.view).toBe('resources');
    expect(parseGvr('apps//x')).toBeNull();
  });

  it('formats the empty route as an empty query', () => {
    expect(formatRoute(EMPTY_ROUTE)).toBe('');
    expect(parseRoute('')).toEqual(EMPTY_ROUTE);
  });

  it('resolves the default namespace choice from the context', () => {
    expect(resolveNamespaces({ kind: 'default' }, 'team-a')).toEqual(['team-a']);
    expect(resolveNamespaces({ kind: 'all' }, 'team-a')).toEqual([]);
    expect(resolveNamespaces({ kind: 'some', names: ['x', 'y'] }, 'team-a')).toEqual(['x', 'y']);
  });
});
