// A per-launch self-signed certificate for the proxy's own HTTPS side. Why HTTPS at all on a
// loopback proxy: client-go (kubectl) sends a bearer token only over TLS (clientcmd applies user
// credentials only when the server URL is https), so `kubectl --token SESSION` needs
// https://127.0.0.1:PORT. The key never leaves memory; the certificate is public
// (GET /-/tls.crt) so tools can pin it with --certificate-authority.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface ServerCertificate {
  certPem: string;
  keyPem: string;
}

const LOOPBACK_NAMES = ['localhost'];
const LOOPBACK_IPS = ['127.0.0.1', '::1'];

export function createSelfSignedCertificate(
  extraHosts: readonly string[] = [],
  now = Date.now(),
): ServerCertificate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  // PKCS#1 PEM always holds an RSA key, which is what setRsaPublicKey needs.
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // A positive serial: clear the top bit of 16 random bytes.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = new Date(now - 60_000);
  // A launch rarely lasts a month; a short life limits the damage of a leaked key.
  cert.validity.notAfter = new Date(now + 30 * 24 * 3600_000);
  const subject = [{ name: 'commonName', value: 'kubeglass local proxy' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const isIp = (h: string) => /^[\d.]+$/.test(h) || h.includes(':');
  const hosts = extraHosts.filter((h) => h !== '0.0.0.0' && h !== '::');
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        ...[...LOOPBACK_NAMES, ...hosts.filter((h) => !isIp(h))].map((value) => ({ type: 2, value })),
        ...[...LOOPBACK_IPS, ...hosts.filter(isIp)].map((ip) => ({ type: 7, ip })),
      ],
    },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}
