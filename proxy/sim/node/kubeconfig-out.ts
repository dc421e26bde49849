// A kubeconfig for the simulated cluster, so real clients (kubectl, client-go, our proxy) can
// reach it exactly as they reach a real cluster. It holds credentials, hence mode 0600.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { PemPair } from './certificates.ts';

export const SIM_CLUSTER_NAME = 'kubeglass-sim';
export const SIM_CONTEXTS = { cert: 'sim-cert', token: 'sim-token', viewer: 'sim-viewer' } as const;
export const SIM_USERS = {
  adminCert: 'sim-admin-cert',
  adminToken: 'sim-admin-token',
  viewer: 'sim-viewer',
} as const;

export interface KubeconfigInput {
  /** https://127.0.0.1:PORT (or http:// for the benchmark mode: then no CA and no client cert). */
  server: string;
  caPem: string;
  adminCert: PemPair;
  adminToken: string;
  readOnlyToken: string;
  namespace?: string;
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** The kubeconfig document (a plain object, ready for YAML). */
export function buildKubeconfig(input: KubeconfigInput): Record<string, unknown> {
  const tls = input.server.startsWith('https:');
  const namespace = input.namespace ?? 'default';
  const context = (name: string, user: string) => ({
    name,
    context: { cluster: SIM_CLUSTER_NAME, user, namespace },
  });
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [
      {
        name: SIM_CLUSTER_NAME,
        cluster: tls
          ? { server: input.server, 'certificate-authority-data': base64(input.caPem) }
          : { server: input.server },
      },
    ],
    users: [
      {
        name: SIM_USERS.adminCert,
        user: {
          'client-certificate-data': base64(input.adminCert.certPem),
          'client-key-data': base64(input.adminCert.keyPem),
        },
      },
      { name: SIM_USERS.adminToken, user: { token: input.adminToken } },
      { name: SIM_USERS.viewer, user: { token: input.readOnlyToken } },
    ],
    contexts: [
      context(SIM_CONTEXTS.cert, SIM_USERS.adminCert),
      context(SIM_CONTEXTS.token, SIM_USERS.adminToken),
      context(SIM_CONTEXTS.viewer, SIM_USERS.viewer),
    ],
    // Over plain HTTP a client certificate is never presented, so the token context is the default.
    'current-context': tls ? SIM_CONTEXTS.cert : SIM_CONTEXTS.token,
  };
}

/** Write the kubeconfig (creating parent folders) with mode 0600; returns the absolute path. */
export async function writeKubeconfig(path: string, input: KubeconfigInput): Promise<string> {
  if (path.trim() === '') throw new Error('the kubeconfig output path is empty');
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, stringify(buildKubeconfig(input)), { mode: 0o600 });
  // writeFile's mode applies only when it creates the file; an existing file keeps its mode.
  await chmod(target, 0o600);
  return target;
}
