import { describe, expect, it } from 'vitest';
import { isStreamingRequest, parseClusterPath } from './api-path.ts';

describe('parseClusterPath', () => {
  it('splits context, API path and query', () => {
    expect(
      parseClusterPath('/clusters/kind-dev/api/v1/namespaces/a/pods?watch=true&resourceVersion=5'),
    ).toEqual({
      ok: true,
      path: {
        context: 'kind-dev',
        apiPath: '/api/v1/namespaces/a/pods',
        search: '?watch=true&resourceVersion=5',
      },
    });
  });

  it('decodes an encoded context name (EKS ARNs contain "/")', () => {
    const r = parseClusterPath(`/clusters/${encodeURIComponent('arn:aws:eks:eu:1:cluster/prod')}/version`);
    expect(r.ok && r.path.context).toBe('arn:aws:eks:eu:1:cluster/prod');
  });

  it.each([
    '/clusters/c/api/../../etc/passwd',
    '/clusters/c/api/%2e%2e/%2e%2e/x',
    '/clusters/c/api/%2E%2E/x',
    '/clusters/c/api/.%2e/x',
    '/clusters/c/api/%252e%252e/x',
    '/clusters/c/api/./v1',
    '/clusters/c/api/v1%2f..%2fsecrets',
    '/clusters/c/api/v1%252f..',
    '/clusters/c/api//evil.example/x',
    '/clusters/c/api/v1\\..\\x',
    '/clusters/c/api/v1%5c..',
    '/clusters/c/api/v1/%00',
    '/clusters/c/api/v1/%zz',
  ])('refuses traversal and smuggling: %s', (url) => {
    const r = parseClusterPath(url);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status).toBe(400);
  });

  it.each(['/clusters/c/healthz', '/clusters/c/', '/clusters/c', '/clusters/c/metrics'])(
    'only forwards api, apis, version and openapi: %s',
    (url) => {
      const r = parseClusterPath(url);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.status).toBe(404);
    },
  );

  it('refuses an empty context', () => {
    expect(parseClusterPath('/clusters//api/v1').ok).toBe(false);
  });

  it('allows a trailing slash', () => {
    expect(parseClusterPath('/clusters/c/apis/').ok).toBe(true);
  });
});

describe('isStreamingRequest', () => {
  const p = (apiPath: string, search = '') => ({ context: 'c', apiPath, search });
  it('recognises watches and log follows', () => {
    expect(isStreamingRequest(p('/api/v1/pods', '?watch=true'))).toBe(true);
    expect(isStreamingRequest(p('/api/v1/pods', '?watch=1'))).toBe(true);
    expect(isStreamingRequest(p('/api/v1/namespaces/a/pods/x/log', '?follow=true'))).toBe(true);
    expect(isStreamingRequest(p('/api/v1/watch/pods'))).toBe(true);
    expect(isStreamingRequest(p('/apis/apps/v1/watch/deployments'))).toBe(true);
    expect(isStreamingRequest(p('/api/v1/pods', '?watch=false'))).toBe(false);
    expect(isStreamingRequest(p('/api/v1/namespaces/watch/pods'))).toBe(false);
  });
});
