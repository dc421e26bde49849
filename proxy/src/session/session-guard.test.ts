import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  generateSessionSecret,
  SessionGuard,
  sessionSecretFrom,
  WeakSessionSecretError,
} from './session-guard.ts';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('session secret', () => {
  it('is at least 128 bits of randomness and differs per launch', () => {
    const a = generateSessionSecret();
    expect(Buffer.from(a, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(generateSessionSecret()).not.toBe(a);
  });

  it('KUBEGLASS_SESSION_SECRET fixes it, and a weak one is refused', () => {
    expect(sessionSecretFrom({ KUBEGLASS_SESSION_SECRET: 'a-fixed-secret-for-scripts-1234' })).toBe(
      'a-fixed-secret-for-scripts-1234',
    );
    expect(() => sessionSecretFrom({ KUBEGLASS_SESSION_SECRET: 'short' })).toThrow(WeakSessionSecretError);
    expect(() => sessionSecretFrom({ KUBEGLASS_SESSION_SECRET: 'has spaces in it which is bad' })).toThrow(
      WeakSessionSecretError,
    );
    expect(sessionSecretFrom({}).length).toBeGreaterThanOrEqual(22);
  });
});

describe('SessionGuard', () => {
  const guard = new SessionGuard('the-secret-value-0123456789');
  it('matches only the exact secret (any length, no throw on length mismatch)', () => {
    expect(guard.matches('the-secret-value-0123456789')).toBe(true);
    expect(guard.matches('the-secret-value-012345678')).toBe(false);
    expect(guard.matches('')).toBe(false);
    expect(guard.matches('x'.repeat(10_000))).toBe(false);
  });

  it('accepts the cookie or a bearer token', () => {
    expect(guard.isAuthenticated(req({ cookie: 'a=1; kubeglass_session=the-secret-value-0123456789' }))).toBe(
      true,
    );
    expect(guard.isAuthenticated(req({ authorization: 'Bearer the-secret-value-0123456789' }))).toBe(true);
    expect(guard.isAuthenticated(req({ authorization: 'Basic the-secret-value-0123456789' }))).toBe(false);
    expect(guard.isAuthenticated(req({ cookie: 'kubeglass_sessionx=the-secret-value-0123456789' }))).toBe(
      false,
    );
    expect(guard.isAuthenticated(req({}))).toBe(false);
  });

  it('issues an HttpOnly SameSite=Strict cookie for the whole origin', () => {
    expect(guard.cookie()).toBe(
      'kubeglass_session=the-secret-value-0123456789; HttpOnly; SameSite=Strict; Path=/',
    );
  });
});
