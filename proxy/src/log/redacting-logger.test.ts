import { describe, expect, it } from 'vitest';
import { createLogger, redact } from './redacting-logger.ts';

describe('redact', () => {
  it('masks registered secrets wherever they appear', () => {
    expect(redact('secret is abcdef123456 ok', ['abcdef123456'])).toBe('secret is [redacted] ok');
  });

  it('masks bearer values, token query parameters and PEM blocks without registration', () => {
    const line =
      'Authorization: Bearer eyJhbGciOi.xyz GET /?token=s3cr3tvalue&x=1 -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';
    const out = redact(line, []);
    expect(out).not.toContain('eyJhbGciOi');
    expect(out).not.toContain('s3cr3tvalue');
    expect(out).not.toContain('MIIE');
    expect(out).toContain('?token=[redacted]&x=1');
  });

  it('masks token fields in JSON such as exec plugin output', () => {
    const out = redact('bad output {"status":{"token":"tok-123456"}}', []);
    expect(out).not.toContain('tok-123456');
  });

  it('leaves ordinary text alone', () => {
    expect(redact('context kind-dev: 502 upstream refused', ['zzzzzzzz'])).toBe(
      'context kind-dev: 502 upstream refused',
    );
  });
});

describe('createLogger', () => {
  it('never writes a registered secret', () => {
    const lines: string[] = [];
    const log = createLogger((l) => lines.push(l));
    log.addSecret('session-secret-value');
    log.error('exchange failed for session-secret-value');
    expect(lines.join('')).not.toContain('session-secret-value');
    expect(lines.join('')).toContain('exchange failed for [redacted]');
  });
});
