// The server's side of the "open views equal the server" check for the environment-fault specs,
// which run against global-setup's shared simulated cluster (not a private FaultCluster): lists a
// view's collection straight from the sim over HTTPS with its admin token, never through a proxy.
import { request } from 'node:https';
import type { SimAccess } from './env-kubeconfig.ts';
import { collectionPath } from './fault-cluster.ts';
import type { OpenView, ServerList, ServerLister } from './view-rows.ts';

const TIMEOUT_MS = 15_000;

function get(access: SimAccess, path: string): Promise<{ status: number; body: unknown }> {
  const url = new URL(path, access.server);
  const ca = Buffer.from(access.caData, 'base64').toString('utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca,
        headers: { authorization: `Bearer ${access.adminToken}`, accept: 'application/json' },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (b: Buffer) => chunks.push(b));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
            });
          } catch (err) {
            reject(new Error(`sim ${path}: the answer is not JSON (${String(err)})`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`sim ${path}: no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

function toServerList(path: string, body: unknown): ServerList {
  const list = body as {
    metadata?: { resourceVersion?: string };
    items?: { metadata?: Record<string, string> }[];
  };
  if (!Array.isArray(list.items)) throw new Error(`sim ${path}: the list has no items`);
  return {
    resourceVersion: list.metadata?.resourceVersion ?? '',
    items: list.items.map((o) => ({
      namespace: o.metadata?.namespace ?? '',
      name: o.metadata?.name ?? '',
      resourceVersion: o.metadata?.resourceVersion ?? '',
    })),
  };
}

/** A ServerLister (view-rows.ts) for the sim behind `access`; Exact at the view's RV when it can. */
export function simServerLister(access: SimAccess): ServerLister {
  return async (view: OpenView, atResourceVersion?: string) => {
    const base = collectionPath(view.gvr, view.namespace);
    const query = new URLSearchParams();
    if (view.labelSelector) query.set('labelSelector', view.labelSelector);
    if (view.fieldSelector) query.set('fieldSelector', view.fieldSelector);
    if (atResourceVersion) {
      const exact = new URLSearchParams(query);
      exact.set('resourceVersion', atResourceVersion);
      exact.set('resourceVersionMatch', 'Exact');
      const res = await get(access, `${base}?${exact}`);
      if (res.status === 200) return toServerList(base, res.body);
      // 410: the history moved past that RV (churn): compare with the latest state instead.
    }
    const path = `${base}${query.size > 0 ? `?${query}` : ''}`;
    const res = await get(access, path);
    if (res.status !== 200) throw new Error(`sim list ${path} answered ${res.status}`);
    return toServerList(path, res.body);
  };
}
