import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isAllowedHost, isAllowedOrigin } from './request-origin.ts';

const policy = { port: () => 7400, extraHosts: ['kubeglass.lan'] };
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('isAllowedHost (DNS rebinding)', () => {
  it.each(['127.0.0.1:7400', 'localhost:7400', 'LOCALHOST:7400', '[::1]:7400', 'kubeglass.lan:7400'])(
    'accepts %s',
    (h) => {
      expect(isAllowedHost(h, policy)).toBe(true);
    },
  );
  it.each(['192.168.1.5:7400', '[fe80::1]:7400', '10.0.0.1:7400', '0.0.0.0:7400'])(
    'refuses the IP literal %s when bound to loopback, accepts it when bound to a wildcard address',
    (h) => {
      expect(isAllowedHost(h, policy)).toBe(false);
      expect(isAllowedHost(h, { ...policy, anyIpLiteral: true })).toBe(true);
    },
  );
  it.each([
    undefined,
    '',
    'evil.example:7400',
    '127.0.0.1:7401',
    '127.0.0.1',
    'localhost.evil:7400',
    '127.0.0.1:7400@evil',
    'a b',
  ])('refuses %s', (h) => {
    expect(isAllowedHost(h, policy)).toBe(false);
  });
});

describe('isAllowedOrigin (CSRF)', () => {
  it('accepts no Origin and our own; refuses others and "null"', () => {
    expect(isAllowedOrigin(req({ host: '127.0.0.1:7400' }))).toBe(true);
    expect(isAllowedOrigin(req({ host: '127.0.0.1:7400', origin: 'http://127.0.0.1:7400' }))).toBe(true);
    expect(isAllowedOrigin(req({ host: '127.0.0.1:7400', origin: 'http://localhost:7400' }))).toBe(false);
    expect(isAllowedOrigin(req({ host: '127.0.0.1:7400', origin: 'https://127.0.0.1:7400' }))).toBe(false);
    expect(isAllowedOrigin(req({ host: '127.0.0.1:7400', origin: 'null' }))).toBe(false);
  });
});
