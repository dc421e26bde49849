// The embedded default: with no kubeconfig at all (or with --demo) the simulated cluster runs in
// this process, served on a random loopback port by the sim's own HTTPS server, and appears as
// the context `kubeglass-demo`. It goes through the same forwarding path as a real cluster, so
// the demo exercises exactly the code a real cluster would.
import { startSimServer } from '../sim/node/sim-server.ts';
import { staticCredentials } from './kubeconfig/credentials.ts';
import type { ResolvedContext } from './kubeconfig/resolve-context.ts';
import type { Logger } from './log/redacting-logger.ts';

export const DEMO_CONTEXT = 'kubeglass-demo';

export interface DemoCluster {
  context: ResolvedContext;
  close(): Promise<void>;
}

const info = {
  name: DEMO_CONTEXT,
  cluster: DEMO_CONTEXT,
  namespace: 'default',
  user: 'kubeglass-admin',
  simulated: true,
};

export async function startDemoCluster(
  logger: Logger,
  opts: { pods?: number; churnPerSecond?: number } = {},
): Promise<DemoCluster> {
  try {
    const sim = await startSimServer({
      port: 0,
      pods: opts.pods ?? 300,
      churnPerSecond: opts.churnPerSecond ?? 5,
    });
    logger.addSecret(sim.adminToken);
    const origin = new URL(sim.url);
    return {
      context: {
        info: { ...info, server: sim.url },
        target: {
          origin,
          basePath: '',
          ca: sim.caPem,
          insecureSkipTlsVerify: false,
          credentials: staticCredentials({ authorization: `Bearer ${sim.adminToken}` }),
          impersonation: [],
        },
      },
      close: () => sim.close(),
    };
  } catch (err) {
    const message = `the simulated cluster could not start: ${err instanceof Error ? err.message : String(err)}`;
    logger.error(message);
    return { context: { info: { ...info, server: '', error: message } }, close: async () => {} };
  }
}
