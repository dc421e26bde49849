import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BodyTooLargeError, flattenHeaders, readBody, splitUrl, toSimRequest } from './node-request.ts';

/** An IncomingMessage as readBody and toSimRequest see it: a byte stream plus url, method, headers. */
function incoming(
  chunks: string[],
  headers: Record<string, string | string[]> = {},
  url = '/',
  method = 'POST',
) {
  return Object.assign(Readable.from(chunks.map((c) => Buffer.from(c))), {
    headers,
    url,
    method,
  }) as unknown as IncomingMessage;
}

describe('splitUrl', () => {
  it('keeps the path percent-encoded and parses the query', () => {
    const { path, query } = splitUrl('/api/v1/namespaces/a%2Fb/pods?labelSelector=app%3Dweb&watch=1');
    expect(path).toBe('/api/v1/namespaces/a%2Fb/pods');
    expect(query.get('labelSelector')).toBe('app=web');
    expect(query.get('watch')).toBe('1');
  });
  it('defaults to / for an empty or missing target', () => {
    expect(splitUrl(undefined).path).toBe('/');
    expect(splitUrl('?x=1').path).toBe('/');
  });
});

describe('flattenHeaders', () => {
  it('joins repeated headers and drops undefined ones', () => {
    expect(flattenHeaders({ accept: 'a', 'x-many': ['1', '2'], gone: undefined })).toEqual({
      accept: 'a',
      'x-many': '1, 2',
    });
  });
});

describe('readBody', () => {
  it('concatenates the chunks', async () => {
    const body = await readBody(incoming(['{"a":', '1}']));
    expect(new TextDecoder().decode(body)).toBe('{"a":1}');
  });
  it('returns undefined for an empty body', async () => {
    expect(await readBody(incoming([]))).toBeUndefined();
  });
  it('refuses a declared Content-Length over the limit before reading', async () => {
    await expect(readBody(incoming(['x'], { 'content-length': '11' }), 10)).rejects.toBeInstanceOf(
      BodyTooLargeError,
    );
  });
  it('refuses a chunked body once it passes the limit', async () => {
    await expect(readBody(incoming(['12345', '67890', '1']), 10)).rejects.toThrow(/limit of 10 bytes/);
  });
});

describe('toSimRequest', () => {
  it('carries method, path, query, headers, body, user and signal', () => {
    const signal = new AbortController().signal;
    const body = new Uint8Array([1]);
    const user = { name: 'u', groups: [], readOnly: true };
    const req = toSimRequest(
      incoming([], { accept: 'application/json' }, '/api?x=1', 'patch'),
      body,
      user,
      signal,
    );
    expect(req).toMatchObject({
      method: 'PATCH',
      path: '/api',
      headers: { accept: 'application/json' },
      user,
      signal,
      body,
    });
    expect(req.query.get('x')).toBe('1');
  });
  it('leaves body unset when there is none', () => {
    const req = toSimRequest(incoming([], {}, '/', 'GET'), undefined, null, new AbortController().signal);
    expect('body' in req).toBe(false);
    expect(req.user).toBeNull();
  });
});
