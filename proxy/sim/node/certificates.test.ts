import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_USER,
  createCertificateAuthority,
  createSimPki,
  identityFromCertificate,
  issueClientCertificate,
  VIEWER_USER,
} from './certificates.ts';

const DAY = 24 * 3600 * 1000;

describe('createSimPki', () => {
  const pki = createSimPki();
  const ca = new X509Certificate(pki.ca.pem.certPem);

  it('makes a self-signed CA certificate', () => {
    expect(ca.ca).toBe(true);
    expect(ca.checkIssued(ca)).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
  });

  it('issues a serving certificate for 127.0.0.1, ::1 and localhost signed by the CA', () => {
    const server = new X509Certificate(pki.server.certPem);
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBeDefined();
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkHost('example.com')).toBeUndefined();
  });

  it('is valid from a minute ago for a year', () => {
    const now = Date.now();
    const server = new X509Certificate(pki.server.certPem);
    const from = Date.parse(server.validFrom);
    const to = Date.parse(server.validTo);
    expect(from).toBeLessThan(now);
    expect(now - from).toBeLessThan(5 * 60_000);
    expect(to - from).toBeGreaterThanOrEqual(365 * DAY - 1000);
  });

  it('puts the user in CN and the groups in O of the client certificates', () => {
    const admin = new X509Certificate(pki.adminClient.certPem);
    expect(identityFromCertificate(admin.raw, pki.ca.pem.certPem)).toEqual(ADMIN_USER);
    const viewer = new X509Certificate(pki.viewerClient.certPem);
    expect(identityFromCertificate(viewer.raw, pki.ca.pem.certPem)).toEqual(VIEWER_USER);
  });

  it('returns private keys matching the certificates', () => {
    const admin = new X509Certificate(pki.adminClient.certPem);
    expect(admin.checkPrivateKey(createPrivateKey(pki.adminClient.keyPem))).toBe(true);
  });
});

describe('identityFromCertificate', () => {
  const ca = createCertificateAuthority();

  it('rejects a certificate from another CA', () => {
    const other = createCertificateAuthority();
    const foreign = issueClientCertificate(other, { user: 'mallory', groups: ['system:masters'] });
    expect(identityFromCertificate(new X509Certificate(foreign.certPem).raw, ca.pem.certPem)).toBeNull();
  });

  it('rejects a certificate outside its validity window', () => {
    const cert = issueClientCertificate(ca, { user: 'alice', groups: [] });
    const raw = new X509Certificate(cert.certPem).raw;
    expect(identityFromCertificate(raw, ca.pem.certPem)).toEqual({ user: 'alice', groups: [] });
    expect(identityFromCertificate(raw, ca.pem.certPem, Date.now() + 400 * DAY)).toBeNull();
    expect(identityFromCertificate(raw, ca.pem.certPem, Date.now() - DAY)).toBeNull();
  });

  it('returns null for bytes that are not a certificate', () => {
    expect(identityFromCertificate(Buffer.from('not a certificate'), ca.pem.certPem)).toBeNull();
  });

  it('keeps several groups in order', () => {
    const cert = issueClientCertificate(ca, { user: 'bob', groups: ['dev', 'ops'] });
    const raw = new X509Certificate(cert.certPem).raw;
    expect(identityFromCertificate(raw, ca.pem.certPem)).toEqual({ user: 'bob', groups: ['dev', 'ops'] });
  });

  it('carries user names PrintableString cannot hold (@, _, non-ASCII)', () => {
    const identity = { user: 'zoë_admin@example.com', groups: ['team_ø'] };
    const cert = issueClientCertificate(ca, identity);
    expect(identityFromCertificate(new X509Certificate(cert.certPem).raw, ca.pem.certPem)).toEqual(identity);
  });

  it('refuses to issue a certificate without a user name', () => {
    expect(() => issueClientCertificate(ca, { user: ' ', groups: [] })).toThrow(/non-empty user name/);
  });
});
