import { describe, expect, it } from 'vitest';
import { StatusError } from '../kube/rest/status-error.ts';
import { rootCause, syncReason } from './sync-reason.ts';

const status = (code: number, reason: string, message = '', causes?: { reason: string; message: string }[]) =>
  new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason,
    message,
    ...(causes ? { details: { causes } } : {}),
  });

describe('syncReason', () => {
  it.each([
    [
      'TE-06 Expired',
      status(410, 'Expired', 'too old resource version: 1 (2)'),
      'resourceVersion expired (410), relisting',
    ],
    ['TE-06 Gone', status(410, 'Gone'), 'resourceVersion expired (410), relisting'],
    [
      'TE-07 too large',
      status(504, 'Timeout', 'Too large resource version: 9, current: 3', [
        { reason: 'ResourceVersionTooLarge', message: 'Too large resource version' },
      ]),
      'resourceVersion ahead of the server (reset?), relisting',
    ],
    ['429', status(429, 'TooManyRequests'), 'rate limited (429)'],
    ['502 from the proxy', status(502, 'ServiceUnavailable'), 'cluster unreachable (502)'],
    ['503', status(503, 'ServiceUnavailable'), 'cluster unreachable (503)'],
    [
      'WS-05 decode error',
      status(500, 'InternalError', 'unable to decode an event from the watch stream: bad json'),
      'malformed watch stream (500), reconnecting',
    ],
    ['500', status(500, 'InternalError', 'boom'), 'server error (500 InternalError)'],
    [
      'unexpected code in an ERROR event',
      status(599, 'InjectedUnexpected'),
      'server error (599 InjectedUnexpected)',
    ],
    ['BR-05 fetch TypeError', new TypeError('Failed to fetch'), 'proxy unreachable'],
  ])('%s', (_name, error, expected) => {
    expect(syncReason(error)).toBe(expected);
    // The Reflector wraps list failures: the innermost cause decides.
    expect(syncReason(new Error('failed to list: x', { cause: error }))).toBe(expected);
  });

  it('says nothing for no error or an unknown one', () => {
    expect(syncReason(undefined)).toBeNull();
    expect(syncReason(null)).toBeNull();
    expect(syncReason(new Error('something'))).toBeNull();
    expect(syncReason('text')).toBeNull();
  });

  it('rootCause stops after a bounded depth', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b; // a cycle
    expect(() => rootCause(a)).not.toThrow();
  });
});
