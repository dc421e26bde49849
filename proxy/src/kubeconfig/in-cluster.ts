// KC-08: running inside a pod with no kubeconfig, the service account is the one context.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeconfigDocument } from './kubeconfig-file.ts';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
export const IN_CLUSTER_CONTEXT = 'in-cluster';

export interface InClusterEnv {
  env: NodeJS.ProcessEnv;
  /** Overridable for tests; the real mount otherwise. */
  serviceAccountDir?: string;
}

/**
 * A synthetic kubeconfig document describing the in-cluster config, or undefined when not in a
 * pod. The token is referenced as a tokenFile so rotation of the projected token is picked up.
 */
export function inClusterDocument({
  env,
  serviceAccountDir = SERVICE_ACCOUNT_DIR,
}: InClusterEnv): KubeconfigDocument | undefined {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = join(serviceAccountDir, 'token');
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  let namespace = env.POD_NAMESPACE ?? '';
  if (namespace === '') {
    try {
      namespace = readFileSync(join(serviceAccountDir, 'namespace'), 'utf8').trim();
    } catch {
      namespace = '';
    }
  }
  const file = join(serviceAccountDir, 'kubeconfig (in-cluster)');
  const dir = serviceAccountDir;
  const caFile = join(serviceAccountDir, 'ca.crt');
  return {
    file,
    currentContext: IN_CLUSTER_CONTEXT,
    clusters: [
      {
        name: IN_CLUSTER_CONTEXT,
        value: {
          server: `https://${hostPart}:${port}`,
          ...(existsSync(caFile) ? { 'certificate-authority': caFile } : {}),
        },
        dir,
        file,
      },
    ],
    users: [{ name: IN_CLUSTER_CONTEXT, value: { tokenFile }, dir, file }],
    contexts: [
      {
        name: IN_CLUSTER_CONTEXT,
        value: {
          cluster: IN_CLUSTER_CONTEXT,
          user: IN_CLUSTER_CONTEXT,
          namespace: namespace === '' ? 'default' : namespace,
        },
        dir,
        file,
      },
    ],
  };
}
