import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Authenticator, bearerToken, newTokens, userFromIdentity } from './authenticator.ts';
import { createCertificateAuthority, createSimPki, issueClientCertificate } from './certificates.ts';

/** The one method of a TLSSocket the authenticator reads. */
function socketWithPeer(certPem: string | null) {
  let calls = 0;
  return {
    getPeerCertificate() {
      calls++;
      return certPem === null ? {} : { raw: new X509Certificate(certPem).raw };
    },
    calls: () => calls,
  };
}

describe('bearerToken', () => {
  it('extracts the token of a Bearer header, case-insensitively', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
  });
  it('ignores other schemes and malformed headers', () => {
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
  });
});

describe('Authenticator', () => {
  const pki = createSimPki();
  const tokens = newTokens();
  const auth = new Authenticator(tokens, pki.ca.pem.certPem);

  it('maps the admin token to a writable system:masters user', () => {
    const user = auth.authenticate({}, `Bearer ${tokens.admin}`);
    expect(user).toEqual({
      name: 'kubeglass-admin',
      groups: ['system:masters', 'system:authenticated'],
      readOnly: false,
    });
  });

  it('maps the read-only token to a read-only user', () => {
    const user = auth.authenticate({}, `Bearer ${tokens.readOnly}`);
    expect(user?.name).toBe('kubeglass-viewer');
    expect(user?.readOnly).toBe(true);
  });

  it('returns null for a wrong token or no credentials', () => {
    expect(auth.authenticate({}, 'Bearer nope')).toBeNull();
    expect(auth.authenticate({}, `Bearer ${tokens.admin}x`)).toBeNull();
    expect(auth.authenticate({}, undefined)).toBeNull();
  });

  it('prefers a client certificate signed by the CA over the token', () => {
    const user = auth.authenticate(socketWithPeer(pki.viewerClient.certPem), `Bearer ${tokens.admin}`);
    expect(user?.name).toBe('kubeglass-viewer');
    expect(user?.readOnly).toBe(true);
  });

  it('falls back to the token when the certificate is foreign', () => {
    const foreign = issueClientCertificate(createCertificateAuthority(), {
      user: 'mallory',
      groups: ['system:masters'],
    });
    expect(auth.authenticate(socketWithPeer(foreign.certPem), undefined)).toBeNull();
    expect(auth.authenticate(socketWithPeer(foreign.certPem), `Bearer ${tokens.readOnly}`)?.name).toBe(
      'kubeglass-viewer',
    );
  });

  it('verifies a connection certificate once per socket', () => {
    const socket = socketWithPeer(pki.adminClient.certPem);
    expect(auth.authenticate(socket, undefined)?.name).toBe('kubeglass-admin');
    expect(auth.authenticate(socket, undefined)?.name).toBe('kubeglass-admin');
    expect(socket.calls()).toBe(1);
  });

  it('ignores client certificates when it has no CA (plain HTTP)', () => {
    const plain = new Authenticator(tokens, undefined);
    expect(plain.authenticate(socketWithPeer(pki.adminClient.certPem), undefined)).toBeNull();
  });

  it('returns null for a socket without a certificate', () => {
    expect(auth.authenticate(socketWithPeer(null), undefined)).toBeNull();
  });
});

describe('userFromIdentity', () => {
  it('makes only system:masters writable and adds system:authenticated once', () => {
    expect(userFromIdentity({ user: 'a', groups: ['dev'] })).toEqual({
      name: 'a',
      groups: ['dev', 'system:authenticated'],
      readOnly: true,
    });
    expect(
      userFromIdentity({ user: 'b', groups: ['system:masters', 'system:authenticated'] }).groups,
    ).toEqual(['system:masters', 'system:authenticated']);
  });
});

describe('newTokens', () => {
  it('makes two distinct 256-bit tokens per call', () => {
    const a = newTokens();
    const b = newTokens();
    expect(a.admin).toMatch(/^[0-9a-f]{64}$/);
    expect(a.admin).not.toBe(a.readOnly);
    expect(a.admin).not.toBe(b.admin);
  });
});
