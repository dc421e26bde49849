import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-dir.ts';
import { createTestPki } from '../testing/test-pki.ts';
import { parseKubeconfigText } from './kubeconfig-file.ts';
import { mergeKubeconfigs } from './kubeconfig-merge.ts';
import { resolveContext } from './resolve-context.ts';

const pki = createTestPki();
const tmp = makeTempDir();
afterAll(() => tmp.remove());
const b64 = (s: string) => Buffer.from(s).toString('base64');

tmp.write('certs/ca.crt', pki.caPem);
tmp.write('certs/client.crt', pki.client.certPem);
tmp.write('certs/client.key', pki.client.keyPem);
tmp.write('certs/token', 'file-token\n');

const configText = `
current-context: files
clusters:
- name: c-files
  cluster: { server: "https://127.0.0.1:6443/prefix/?q=1#frag", certificate-authority: certs/ca.crt, tls-server-name: kube.example }
- name: c-data
  cluster: { server: "https://127.0.0.1:6443", certificate-authority-data: "${b64(pki.caPem)}" }
- name: c-badb64
  cluster: { server: "https://127.0.0.1:6443", certificate-authority-data: "not*base64!" }
- name: c-notpem
  cluster: { server: "https://127.0.0.1:6443", certificate-authority-data: "${b64('hello')}" }
- name: c-insecure
  cluster: { server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true }
- name: c-noserver
  cluster: {}
- name: c-ftp
  cluster: { server: "ftp://x" }
users:
- name: u-files
  user: { client-certificate: certs/client.crt, client-key: certs/client.key }
- name: u-data
  user: { client-certificate-data: "${b64(pki.client.certPem)}", client-key-data: "${b64(pki.client.keyPem)}" }
- name: u-missing-cert
  user: { client-certificate: certs/nope.crt, client-key: certs/client.key }
- name: u-half
  user: { client-certificate: certs/client.crt }
- name: u-token
  user: { token: abc, as: jane, as-groups: [dev, ops] }
- name: u-tokenfile
  user: { tokenFile: certs/token }
- name: u-basic
  user: { username: admin, password: pw }
- name: u-authprovider
  user: { auth-provider: { name: gcp } }
- name: u-badexec
  user: { exec: { apiVersion: client.authentication.k8s.io/v1alpha1, command: x } }
contexts:
- name: files
  context: { cluster: c-files, user: u-files, namespace: team-a }
- name: data
  context: { cluster: c-data, user: u-data }
- name: badb64
  context: { cluster: c-badb64, user: u-token }
- name: notpem
  context: { cluster: c-notpem, user: u-token }
- name: missing-cert
  context: { cluster: c-insecure, user: u-missing-cert }
- name: half
  context: { cluster: c-insecure, user: u-half }
- name: token
  context: { cluster: c-insecure, user: u-token }
- name: tokenfile
  context: { cluster: c-insecure, user: u-tokenfile }
- name: basic
  context: { cluster: c-insecure, user: u-basic }
- name: no-cluster
  context: { cluster: ghost, user: u-token }
- name: no-user
  context: { cluster: c-insecure, user: ghost }
- name: no-server
  context: { cluster: c-noserver }
- name: ftp
  context: { cluster: c-ftp }
- name: authprovider
  context: { cluster: c-insecure, user: u-authprovider }
- name: badexec
  context: { cluster: c-insecure, user: u-badexec }
`;
const file = tmp.write('kube/config', configText.replaceAll('certs/', '../certs/'));
const parsed = parseKubeconfigText(configText.replaceAll('certs/', '../certs/'), file);
if (!parsed.ok) throw new Error(parsed.error);
const merged = mergeKubeconfigs([parsed.doc]);
const resolve = (name: string) => resolveContext(merged, name);

describe('resolveContext', () => {
  it('KC-03 resolves relative CA/cert/key paths against the kubeconfig directory; KC-07 keeps the path prefix', async () => {
    const r = resolve('files');
    expect(r.info).toEqual({
      name: 'files',
      cluster: 'c-files',
      user: 'u-files',
      namespace: 'team-a',
      server: 'https://127.0.0.1:6443/prefix/?q=1#frag',
    });
    expect(r.target?.ca).toBe(pki.caPem);
    expect(r.target?.basePath).toBe('/prefix');
    expect(r.target?.origin.href).toBe('https://127.0.0.1:6443/');
    expect(r.target?.servername).toBe('kube.example');
    const creds = await r.target?.credentials.get();
    expect(creds?.cert).toBe(pki.client.certPem);
    expect(creds?.key).toBe(pki.client.keyPem);
  });

  it('decodes -data fields from base64; KC-05 namespace defaults to "default"', async () => {
    const r = resolve('data');
    expect(r.info.error).toBeUndefined();
    expect(r.info.namespace).toBe('default');
    expect(r.target?.ca).toBe(pki.caPem);
    expect((await r.target?.credentials.get())?.cert).toBe(pki.client.certPem);
  });

  it.each([
    ['badb64', /certificate-authority-data is not valid base64/],
    ['notpem', /certificate-authority is not PEM/],
    ['missing-cert', /client-certificate .*nope\.crt cannot be read \(ENOENT\)/],
    ['half', /must be given together/],
    ['no-cluster', /cluster "ghost" does not exist/],
    ['no-user', /user "ghost" does not exist/],
    ['no-server', /has no server/],
    ['ftp', /must be http or https/],
    ['authprovider', /auth-provider/],
    ['badexec', /exec apiVersion must be one of/],
    ['nope', /context "nope" does not exist/],
  ])('KC-04 context %s is an error on that context only', (name, message) => {
    const r = resolve(name);
    expect(r.info.error).toMatch(message);
    expect(r.target).toBeUndefined();
  });

  it('KC-06 token becomes a bearer token and as/as-groups become Impersonate-* headers', async () => {
    const r = resolve('token');
    expect(await r.target?.credentials.get()).toEqual({ authorization: 'Bearer abc' });
    expect(r.target?.impersonation).toEqual([
      ['impersonate-user', 'jane'],
      ['impersonate-group', 'dev'],
      ['impersonate-group', 'ops'],
    ]);
    expect(r.target?.insecureSkipTlsVerify).toBe(true);
  });

  it('KC-06 tokenFile is read and re-read when it changes', async () => {
    const r = resolve('tokenfile');
    expect(await r.target?.credentials.get()).toEqual({ authorization: 'Bearer file-token' });
    // A different size guarantees a new stamp even on filesystems with coarse mtimes.
    tmp.write('certs/token', 'rotated-token-value\n');
    expect(await r.target?.credentials.get()).toEqual({ authorization: 'Bearer rotated-token-value' });
  });

  it('KC-06 username/password become basic auth', async () => {
    const r = resolve('basic');
    expect(await r.target?.credentials.get()).toEqual({
      authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}`,
    });
  });
});
