// The server's side of the "open views equal the server" check for the environment-fault specs,
// which run against global-setup's shared simulated cluster (not a private FaultCluster): the same
// direct HTTPS lister as fault-cluster.ts, with the shared cluster's admin credentials.
import type { SimAccess } from './env-kubeconfig.ts';
import { simServerLister as listerFor } from './fault-cluster.ts';
import type { ServerLister } from './view-rows.ts';

/** A ServerLister (view-rows.ts) for the sim behind `access`; Exact at the view's RV when it can. */
export function simServerLister(access: SimAccess): ServerLister {
  return listerFor({
    server: access.server,
    ca: Buffer.from(access.caData, 'base64').toString('utf8'),
    token: access.adminToken,
  });
}
