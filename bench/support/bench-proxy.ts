// The kubeglass proxy serving a directory as its static root and forwarding /clusters/<context>/
// to the contexts of one kubeconfig: what a browser page talks to in the client benchmarks.
// Contexts are read once (no file watching: the bench's kubeconfig is fixed). startBenchProxy runs
// it in this process; startBenchProxyProcess in a child process of its own (proxy-process.ts).

import { ContextRegistry } from '../../proxy/src/kubeconfig/context-registry.ts';
import { silentLogger } from '../../proxy/src/log/redacting-logger.ts';
import { startProxyServer } from '../../proxy/src/server.ts';
import { startChild } from './child.ts';

export interface BenchProxy {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The session secret; `${origin}/page?token=${secret}` logs a browser in. */
  secret: string;
  close(): Promise<void>;
}

export async function startBenchProxy(opts: {
  kubeconfig: string;
  staticRoot: string;
  secret: string;
}): Promise<BenchProxy> {
  const registry = new ContextRegistry({ files: [opts.kubeconfig], logger: silentLogger });
  try {
    const server = await startProxyServer({
      registry,
      secret: opts.secret,
      logger: silentLogger,
      staticRoot: opts.staticRoot,
      port: 0,
    });
    return {
      origin: server.origin,
      secret: opts.secret,
      close: async () => {
        await server.close();
        registry.close();
      },
    };
  } catch (err) {
    registry.close();
    throw err;
  }
}

/** The same proxy in a child process (proxy-process.ts); close() ends that process. */
export async function startBenchProxyProcess(opts: {
  kubeconfig: string;
  staticRoot: string;
  secret: string;
}): Promise<BenchProxy> {
  const child = await startChild(
    process.execPath,
    [
      // CLIENT_BENCH_PROXY_PROFILE_DIR=/dir (diagnosis only): a V8 CPU profile of the proxy,
      // written there when it exits (`--cpu-prof`; NODE_OPTIONS does not allow it).
      ...(process.env.CLIENT_BENCH_PROXY_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.CLIENT_BENCH_PROXY_PROFILE_DIR}`]
        : []),
      '--import',
      'tsx',
      'bench/support/proxy-process.ts',
      '--kubeconfig',
      opts.kubeconfig,
      '--static',
      opts.staticRoot,
      '--secret',
      opts.secret,
    ],
    { ready: (line) => line.startsWith('{'), timeoutMs: 60_000 },
  );
  const { origin } = JSON.parse(child.line) as { origin?: unknown };
  if (typeof origin !== 'string' || !origin.startsWith('http://127.0.0.1:')) {
    await child.stop();
    throw new Error(`the proxy process reported no loopback origin: ${child.line}`);
  }
  return { origin, secret: opts.secret, close: () => child.stop() };
}
