// Test-only PKI: a CA, a server certificate for 127.0.0.1/localhost and a client certificate.
// Keys come from node:crypto (fast, native); node-forge only assembles and signs the X.509 bodies.
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface TestPki {
  caPem: string;
  server: { certPem: string; keyPem: string };
  client: { certPem: string; keyPem: string; commonName: string };
}

function keyPair(): {
  privatePem: string;
  publicKey: forge.pki.PublicKey;
  privateKey: forge.pki.rsa.PrivateKey;
} {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  // PKCS#1 PEM always holds an RSA key, which is what setRsaPublicKey needs.
  const forgeKey = forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  return {
    privatePem,
    privateKey: forgeKey,
    publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e),
  };
}

let serial = 1;

function certificate(
  subjectCn: string,
  publicKey: forge.pki.PublicKey,
  issuer: { cn: string; key: forge.pki.rsa.PrivateKey },
  extensions: object[],
): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = (serial++).toString(16).padStart(2, '0');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: subjectCn }]);
  cert.setIssuer([{ name: 'commonName', value: issuer.cn }]);
  cert.setExtensions(extensions);
  cert.sign(issuer.key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

export function createTestPki(clientCn = 'test-admin'): TestPki {
  const ca = keyPair();
  const caCn = 'kubeglass-test-ca';
  const caPem = certificate(caCn, ca.publicKey, { cn: caCn, key: ca.privateKey }, [
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true },
  ]);
  const srv = keyPair();
  const serverPem = certificate('127.0.0.1', srv.publicKey, { cn: caCn, key: ca.privateKey }, [
    { name: 'basicConstraints', cA: false },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
        { type: 2, value: 'kube.example' },
      ],
    },
  ]);
  const cli = keyPair();
  const clientPem = certificate(clientCn, cli.publicKey, { cn: caCn, key: ca.privateKey }, [
    { name: 'basicConstraints', cA: false },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  return {
    caPem,
    server: { certPem: serverPem, keyPem: srv.privatePem },
    client: { certPem: clientPem, keyPem: cli.privatePem, commonName: clientCn },
  };
}
