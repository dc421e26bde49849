// Kubeconfigs for the environment-fault specs, built from the simulated cluster's own kubeconfig
// (global-setup writes it): the same server, CA and tokens, under as many contexts as a fault
// needs, plus contexts whose server cannot be reached and users whose credentials come from exec
// plugins. The files hold credentials, so they are written with mode 0600 into the run's temp dir.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

/** What a spec needs to reach the simulated cluster directly or through its own proxy. */
export interface SimAccess {
  /** https://127.0.0.1:PORT */
  server: string;
  /** certificate-authority-data (base64 PEM), copied as is. */
  caData: string;
  /** A system:masters bearer token. */
  adminToken: string;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`sim kubeconfig: ${what} is not a map`);
  return value as Record<string, unknown>;
}

function named(list: unknown, name: string, field: 'cluster' | 'user'): Record<string, unknown> {
  if (!Array.isArray(list)) throw new Error(`sim kubeconfig: no ${field}s list`);
  const entry = list.find((e: unknown) => record(e, `${field} entry`).name === name);
  if (entry === undefined) throw new Error(`sim kubeconfig: no ${field} named ${name}`);
  return record(record(entry, `${field} entry`)[field], `${field} ${name}`);
}

/** Read the server, CA and admin token out of the sim's kubeconfig (proxy/sim/node/kubeconfig-out.ts). */
export function readSimAccess(kubeconfigPath: string): SimAccess {
  const doc = record(parse(readFileSync(kubeconfigPath, 'utf8')), 'document');
  const cluster = named(doc.clusters, 'kubeglass-sim', 'cluster');
  const admin = named(doc.users, 'sim-admin-token', 'user');
  const { server } = cluster;
  const caData = cluster['certificate-authority-data'];
  const { token } = admin;
  if (typeof server !== 'string' || typeof caData !== 'string' || typeof token !== 'string')
    throw new Error('sim kubeconfig: server, certificate-authority-data or token missing');
  return { server, caData, adminToken: token };
}

/** One context of a generated kubeconfig. */
export interface ContextSpec {
  name: string;
  /** The cluster's server URL. */
  server: string;
  /** Base64 CA; omitted for plain-http servers. */
  caData?: string;
  /** A static bearer token, or an exec plugin (a node script, run with `node`). */
  auth: { token: string } | { execScript: string; installHint?: string; command?: string };
  namespace?: string;
}

/**
 * Write a kubeconfig with one cluster and one user per context (so every context is independent,
 * as in a merged multi-cluster config), `current` as current-context. Returns the path.
 */
export function writeKubeconfig(path: string, contexts: readonly ContextSpec[], current: string): string {
  if (!contexts.some((c) => c.name === current)) throw new Error(`current context ${current} is not listed`);
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: contexts.map((c) => ({
      name: `cluster-${c.name}`,
      cluster: { server: c.server, ...(c.caData ? { 'certificate-authority-data': c.caData } : {}) },
    })),
    users: contexts.map((c) => ({
      name: `user-${c.name}`,
      user:
        'token' in c.auth
          ? { token: c.auth.token }
          : {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: c.auth.command ?? process.execPath,
                args: [c.auth.execScript],
                interactiveMode: 'Never',
                ...(c.auth.installHint ? { installHint: c.auth.installHint } : {}),
              },
            },
    })),
    contexts: contexts.map((c) => ({
      name: c.name,
      context: { cluster: `cluster-${c.name}`, user: `user-${c.name}`, namespace: c.namespace ?? 'default' },
    })),
    'current-context': current,
  };
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  return path;
}
