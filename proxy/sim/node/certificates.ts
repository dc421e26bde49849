// The simulated cluster's PKI: one throw-away CA per server start, a serving certificate for the
// loopback addresses, and client certificates whose subject carries the Kubernetes identity the
// way the real apiserver reads it (CN = user name, each O = one group).
//
// Speed (a server start must stay well under a second on a busy 2-core machine): keys are ECDSA
// P-256 from Node's crypto (sub-millisecond; an RSA-2048 key takes 100-400 ms here) and every
// signature is computed natively. node-forge encodes the X.509 structures (names, validity,
// extensions); it only knows RSA keys, so the two places where the key type shows (the
// SubjectPublicKeyInfo and the signature AlgorithmIdentifier) are put in after it has encoded
// the TBSCertificate.
import {
  createPrivateKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto';
import forge from 'node-forge';

/** A PEM certificate and its PEM (PKCS#8) private key. */
export interface PemPair {
  certPem: string;
  keyPem: string;
}

/** The identity a client certificate asserts. */
export interface ClientIdentity {
  user: string;
  groups: string[];
}

/** The well-known users of the simulated cluster. */
export const ADMIN_USER: ClientIdentity = { user: 'kubeglass-admin', groups: ['system:masters'] };
export const VIEWER_USER: ClientIdentity = { user: 'kubeglass-viewer', groups: ['kubeglass:viewers'] };

/** Certificates are valid from a minute ago (tolerates small clock skew) for one year. */
const BACKDATE_MS = 60_000;
const VALIDITY_MS = 365 * 24 * 3600 * 1000;

/** ecdsa-with-SHA256 (RFC 5758): its AlgorithmIdentifier has no parameters, not even NULL. */
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';

const { asn1 } = forge;

/**
 * forge's getTBSCertificate insists on encoding an RSA public key; this placeholder is encoded
 * and then replaced by the real (EC) SubjectPublicKeyInfo, so it never appears in a certificate.
 */
const PLACEHOLDER_KEY = forge.pki.setRsaPublicKey(
  new forge.jsbn.BigInteger('3'),
  new forge.jsbn.BigInteger('3'),
);

interface KeyPair {
  privateKey: KeyObject;
  /** PKCS#8 PEM, handed to TLS and written to kubeconfigs. */
  keyPem: string;
  /** DER SubjectPublicKeyInfo as a forge binary string. */
  spkiDer: string;
}

function newKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'der' },
  });
  return {
    privateKey: createPrivateKey(privateKey),
    keyPem: privateKey,
    spkiDer: publicKey.toString('binary'),
  };
}

/** A positive 128-bit serial (the high bit cleared so DER does not read it as negative). */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString('hex');
}

function algorithmIdentifier(): forge.asn1.Asn1 {
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(ECDSA_WITH_SHA256).getBytes()),
  ]);
}

/** Present at runtime in node-forge, missing from @types/node-forge. */
interface TbsEncoder {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
}

interface CertificateSpec {
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  extensions: object[];
  subjectKey: KeyPair;
  signer: KeyObject;
  now: number;
}

/** Encode, sign and PEM-wrap one certificate (RFC 5280 Certificate = tbs, algorithm, signature). */
function buildCertificate(spec: CertificateSpec): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = PLACEHOLDER_KEY;
  cert.serialNumber = newSerial();
  cert.validity.notBefore = new Date(spec.now - BACKDATE_MS);
  cert.validity.notAfter = new Date(spec.now - BACKDATE_MS + VALIDITY_MS);
  cert.setSubject(spec.subject);
  cert.setIssuer(spec.issuer);
  cert.setExtensions(spec.extensions);
  // getTBSCertificate reads the algorithm from siginfo (the field is missing from @types/node-forge).
  (cert as forge.pki.Certificate & { siginfo: { algorithmOid: string } }).siginfo.algorithmOid =
    ECDSA_WITH_SHA256;
  const tbs = (forge.pki as typeof forge.pki & TbsEncoder).getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  // TBSCertificate: [0] version, [1] serial, [2] signature algorithm, [3] issuer, [4] validity,
  // [5] subject, [6] subjectPublicKeyInfo, [7] extensions.
  if (fields.length < 7) throw new Error('unexpected TBSCertificate layout from node-forge');
  fields[2] = algorithmIdentifier();
  fields[6] = asn1.fromDer(spec.subjectKey.spkiDer);
  const tbsDer = asn1.toDer(tbs).getBytes();
  const signature = sign('sha256', Buffer.from(tbsDer, 'binary'), spec.signer).toString('binary');
  const certificate = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    tbs,
    algorithmIdentifier(),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${signature}`),
  ]);
  return forge.pem.encode({ type: 'CERTIFICATE', body: asn1.toDer(certificate).getBytes() });
}

/** The CA's certificate and key, kept so the leaf issuers can sign with it. */
export interface CertificateAuthority {
  pem: PemPair;
  subject: forge.pki.CertificateField[];
  key: KeyObject;
}

export function createCertificateAuthority(now = Date.now()): CertificateAuthority {
  const keys = newKeyPair();
  // A distinct name per CA (as real cluster CAs have): a certificate from another server start is
  // then recognisably foreign instead of claiming an issuer with our CA's name.
  const subject: forge.pki.CertificateField[] = [
    {
      name: 'commonName',
      value: `kubeglass-sim-ca-${Math.floor(now / 1000)}-${randomBytes(4).toString('hex')}`,
    },
  ];
  const certPem = buildCertificate({
    subject,
    issuer: subject,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
    subjectKey: keys,
    signer: keys.privateKey,
    now,
  });
  return { pem: { certPem, keyPem: keys.keyPem }, subject, key: keys.privateKey };
}

function issue(
  ca: CertificateAuthority,
  subject: forge.pki.CertificateField[],
  extensions: object[],
  now: number,
): PemPair {
  const keys = newKeyPair();
  const certPem = buildCertificate({
    subject,
    issuer: ca.subject,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      ...extensions,
    ],
    subjectKey: keys,
    signer: ca.key,
    now,
  });
  return { certPem, keyPem: keys.keyPem };
}

/** The serving certificate: SANs cover every way a local client may address the server. */
export function issueServerCertificate(ca: CertificateAuthority, now = Date.now()): PemPair {
  return issue(
    ca,
    [{ name: 'commonName', value: 'kubeglass-sim' }],
    [
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
    now,
  );
}

/** A client certificate as kubeadm issues them: CN is the user, one O per group. */
export function issueClientCertificate(
  ca: CertificateAuthority,
  identity: ClientIdentity,
  now = Date.now(),
): PemPair {
  if (identity.user.trim() === '') throw new Error('a client certificate needs a non-empty user name');
  // UTF8String: forge's default PrintableString cannot carry '@' or '_', common in user names.
  // (@types/node-forge types valueTagClass as a Class; forge reads it as the universal tag type.)
  const utf8 = asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const subject: forge.pki.CertificateField[] = [
    { name: 'commonName', value: identity.user, valueTagClass: utf8 },
  ];
  for (const group of identity.groups) {
    subject.push({ name: 'organizationName', value: group, valueTagClass: utf8 });
  }
  return issue(ca, subject, [{ name: 'extKeyUsage', clientAuth: true }], now);
}

/** Everything a server start needs. */
export interface SimPki {
  ca: CertificateAuthority;
  server: PemPair;
  adminClient: PemPair;
  viewerClient: PemPair;
}

export function createSimPki(now = Date.now()): SimPki {
  const ca = createCertificateAuthority(now);
  return {
    ca,
    server: issueServerCertificate(ca, now),
    adminClient: issueClientCertificate(ca, ADMIN_USER, now),
    viewerClient: issueClientCertificate(ca, VIEWER_USER, now),
  };
}

/**
 * Read the identity out of a peer certificate, but only if our CA signed it and it is in its
 * validity window. Returns null for anything else (foreign CA, expired, unparsable), so a bad
 * certificate falls through to token authentication, then to 401.
 */
export function identityFromCertificate(
  peerDer: Buffer,
  caPem: string,
  now = Date.now(),
): ClientIdentity | null {
  let cert: X509Certificate;
  let ca: X509Certificate;
  try {
    cert = new X509Certificate(peerDer);
    ca = new X509Certificate(caPem);
  } catch {
    return null;
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return null;
  if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return null;
  // X509Certificate.subject is "CN=…\nO=…\nO=…": one attribute per line.
  let user = '';
  const groups: string[] = [];
  for (const line of cert.subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const field = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (field === 'CN') user = value;
    else if (field === 'O') groups.push(value);
  }
  return user === '' ? null : { user, groups };
}
