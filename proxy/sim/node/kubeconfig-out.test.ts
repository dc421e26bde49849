import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { writeKubeconfig } from './kubeconfig-out.ts';

const dirs: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'kubeconfig-out-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const input = {
  server: 'https://127.0.0.1:6443',
  caPem: 'CA-PEM',
  adminCert: { certPem: 'CERT-PEM', keyPem: 'KEY-PEM' },
  adminToken: 'admin-token',
  readOnlyToken: 'viewer-token',
};

function byName(list: unknown, name: string): Record<string, unknown> {
  const entry = (list as Record<string, unknown>[]).find((e) => e.name === name);
  if (!entry) throw new Error(`no entry ${name}`);
  return entry;
}
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('writeKubeconfig', () => {
  it('writes cluster, users and contexts, with the cert context current (KC-06)', async () => {
    const path = await writeKubeconfig(join(await tempDir(), 'nested', 'config'), input);
    const doc = parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(doc['current-context']).toBe('sim-cert');
    expect(byName(doc.clusters, 'kubeglass-sim').cluster).toEqual({
      server: 'https://127.0.0.1:6443',
      'certificate-authority-data': b64('CA-PEM'),
    });
    expect(byName(doc.users, 'sim-admin-cert').user).toEqual({
      'client-certificate-data': b64('CERT-PEM'),
      'client-key-data': b64('KEY-PEM'),
    });
    expect(byName(doc.users, 'sim-admin-token').user).toEqual({ token: 'admin-token' });
    expect(byName(doc.users, 'sim-viewer').user).toEqual({ token: 'viewer-token' });
    for (const [context, user] of [
      ['sim-cert', 'sim-admin-cert'],
      ['sim-token', 'sim-admin-token'],
      ['sim-viewer', 'sim-viewer'],
    ] as const) {
      expect(byName(doc.contexts, context).context).toEqual({
        cluster: 'kubeglass-sim',
        user,
        namespace: 'default',
      });
    }
  });

  it('makes the file readable by its owner only, even when it existed before', async () => {
    const path = join(await tempDir(), 'config');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeKubeconfig(path, input);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('omits the CA for a plain-HTTP server and makes the token context current', async () => {
    const path = await writeKubeconfig(join(await tempDir(), 'config'), {
      ...input,
      server: 'http://127.0.0.1:1',
    });
    const doc = parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    expect(byName(doc.clusters, 'kubeglass-sim').cluster).toEqual({ server: 'http://127.0.0.1:1' });
    expect(doc['current-context']).toBe('sim-token');
  });

  it('rejects an empty path', async () => {
    await expect(writeKubeconfig('  ', input)).rejects.toThrow(/empty/);
  });
});
