// Start everything `kubeglass` runs: kubeconfig registry (watched), the demo cluster when wanted,
// and the proxy server. Separate from main.ts (process concerns: argv, signals, exit codes) so
// tests can start a whole proxy in-process.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type CliOptions, isLoopbackHost } from './cli-options.ts';
import { type DemoCluster, startDemoCluster } from './demo-cluster.ts';
import { ContextRegistry } from './kubeconfig/context-registry.ts';
import { inClusterDocument } from './kubeconfig/in-cluster.ts';
import { kubeconfigSources } from './kubeconfig/kubeconfig-sources.ts';
import type { Logger } from './log/redacting-logger.ts';
import { startProxyServer } from './server.ts';
import { sessionSecretFrom } from './session/session-guard.ts';

export interface Launched {
  /** The one URL to open: origin plus ?token=SECRET. */
  url: string;
  origin: string;
  port: number;
  /** The HTTPS side's certificate (tools pin it: kubectl --certificate-authority). */
  certificatePem: string;
  registry: ContextRegistry;
  close(): Promise<void>;
}

/** dist/proxy/main.js serves dist/app; running from source (tsx) serves the repo's dist/app. */
function defaultStaticRoot(): string {
  const candidates = [new URL('../app/', import.meta.url), new URL('../../dist/app/', import.meta.url)];
  const found = candidates.find((u) => existsSync(fileURLToPath(new URL('index.html', u))));
  return fileURLToPath(found ?? candidates[0] ?? new URL('../app/', import.meta.url));
}

export async function launch(opts: CliOptions, env: NodeJS.ProcessEnv, logger: Logger): Promise<Launched> {
  const secret = sessionSecretFrom(env);
  logger.addSecret(secret);
  const sources = kubeconfigSources({
    explicit: opts.kubeconfig,
    envList: env.KUBECONFIG,
    home: env.HOME ?? homedir(),
  });
  for (const w of sources.warnings) logger.warn(w);
  const inCluster = { env };
  const haveConfig = sources.files.length > 0 || inClusterDocument(inCluster) !== undefined;
  let demo: DemoCluster | undefined;
  if (opts.demo || !haveConfig) {
    if (!haveConfig) logger.info('no kubeconfig found: starting the built-in simulated cluster');
    demo = await startDemoCluster(logger);
  }
  const registry = new ContextRegistry({
    files: sources.watched,
    extra: demo ? [demo.context] : [],
    inCluster,
    logger,
  });
  registry.watch();
  if (!isLoopbackHost(opts.host)) {
    logger.warn(
      `listening on ${opts.host}: kubeglass is reachable from other machines; the session secret is the only guard`,
    );
  }
  let server: Awaited<ReturnType<typeof startProxyServer>>;
  try {
    server = await startProxyServer({
      registry,
      secret,
      logger,
      host: opts.host,
      port: opts.port,
      staticRoot: defaultStaticRoot(),
      ...(opts.devUpstream ? { devUpstream: opts.devUpstream } : {}),
    });
  } catch (err) {
    registry.close();
    await demo?.close();
    throw err;
  }
  return {
    url: `${server.origin}/?token=${encodeURIComponent(secret)}`,
    origin: server.origin,
    port: server.port,
    certificatePem: server.certificatePem,
    registry,
    close: async () => {
      registry.close();
      await server.close();
      await demo?.close();
    },
  };
}
