import { describe, expect, it } from 'vitest';
import {
  isAlreadyExists,
  isConflict,
  isConnectionError,
  isExpiredOrGone,
  isGone,
  isNotFound,
  isResourceExpired,
  isServerTimeout,
  isTimeout,
  isTooLargeResourceVersion,
  parseRetryAfter,
  reasonForCode,
  StatusError,
  statusErrorFromResponse,
  suggestsClientDelay,
} from './status-error.ts';

const err = (reason: string, code: number, extra: object = {}) =>
  new StatusError({ status: 'Failure', reason, code, ...extra });

describe('StatusError (TE-*)', () => {
  it('TE-01 / TE-02: a Failure Status body is the error, code and Retry-After filled in', () => {
    const e = statusErrorFromResponse(
      429,
      JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'TooManyRequests', message: 'slow' }),
      { retryAfter: '3' },
    );
    expect(e.status).toMatchObject({
      reason: 'TooManyRequests',
      code: 429,
      details: { retryAfterSeconds: 3 },
    });
    expect(e.message).toBe('slow');
  });

  it('TE-02 / TE-03: a non-Status body gets a built Status with at most 2048 bytes and UnexpectedServerResponse', () => {
    const e = statusErrorFromResponse(502, 'x'.repeat(5000));
    expect(e.reason).toBe('InternalError');
    expect(e.status.details?.causes?.[0]).toMatchObject({ reason: 'UnexpectedServerResponse' });
    expect(e.status.details?.causes?.[0]?.message?.length).toBe(2048);
  });

  it.each([
    [400, 'GET', 'BadRequest'],
    [401, 'GET', 'Unauthorized'],
    [403, 'GET', 'Forbidden'],
    [404, 'GET', 'NotFound'],
    [405, 'GET', 'MethodNotAllowed'],
    [406, 'GET', 'NotAcceptable'],
    [409, 'POST', 'AlreadyExists'],
    [409, 'PUT', 'Conflict'],
    [415, 'GET', 'UnsupportedMediaType'],
    [422, 'GET', 'Invalid'],
    [429, 'GET', 'TooManyRequests'],
    [503, 'GET', 'ServiceUnavailable'],
    [504, 'GET', 'Timeout'],
    [500, 'GET', 'InternalError'],
    [418, 'GET', 'Unknown'],
  ])('TE-03: %i on %s maps to %s', (code, verb, reason) => {
    expect(reasonForCode(code, verb)).toBe(reason);
  });

  it('TE-05: predicates use the reason first, the code only when the reason is empty or unknown', () => {
    expect(isNotFound(err('NotFound', 0))).toBe(true);
    expect(isNotFound(err('', 404))).toBe(true);
    expect(isNotFound(err('SomethingNew', 404))).toBe(true);
    expect(isNotFound(err('Forbidden', 404))).toBe(false);
    expect(isConflict(err('', 409))).toBe(true);
    expect(isAlreadyExists(err('', 409))).toBe(false);
    expect(isResourceExpired(err('', 410))).toBe(false);
    expect(isGone(err('', 410))).toBe(true);
    expect(isTimeout(err('', 504))).toBe(true);
    expect(isServerTimeout(err('ServerTimeout', 500))).toBe(true);
    expect(isNotFound(new Error('NotFound'))).toBe(false);
  });

  it('TE-06: expired is Expired or Gone', () => {
    expect(isExpiredOrGone(err('Expired', 410))).toBe(true);
    expect(isExpiredOrGone(err('Gone', 410))).toBe(true);
    expect(isExpiredOrGone(err('NotFound', 404))).toBe(false);
  });

  it('TE-07: RV too large by cause type, or by message on old servers', () => {
    expect(
      isTooLargeResourceVersion(
        err('Timeout', 504, { details: { causes: [{ reason: 'ResourceVersionTooLarge' }] } }),
      ),
    ).toBe(true);
    expect(
      isTooLargeResourceVersion(
        err('Timeout', 504, { message: 'Too large resource version: 9, current: 5' }),
      ),
    ).toBe(true);
    expect(
      isTooLargeResourceVersion(err('InternalError', 500, { message: 'Too large resource version' })),
    ).toBe(false);
  });

  it('TE-08 / TE-09: client delay from retryAfterSeconds or ServerTimeout; only integer Retry-After', () => {
    expect(suggestsClientDelay(err('TooManyRequests', 429, { details: { retryAfterSeconds: 2 } }))).toBe(2);
    expect(suggestsClientDelay(err('ServerTimeout', 500))).toBe(0);
    expect(suggestsClientDelay(err('NotFound', 404))).toBeUndefined();
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter(' 7 ')).toBe(7);
    expect(parseRetryAfter('1.5')).toBeUndefined();
    expect(parseRetryAfter('Fri, 31 Dec 1999 23:59:59 GMT')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('BR-05: fetch TypeErrors are connection errors', () => {
    expect(isConnectionError(new TypeError('fetch failed'))).toBe(true);
    expect(isConnectionError(err('InternalError', 500))).toBe(false);
  });
});
