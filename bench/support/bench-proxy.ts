// The kubeglass proxy in this process, serving a directory as its static root and forwarding
// /clusters/<context>/ to the contexts of one kubeconfig: what a browser page talks to in the
// client benchmarks. Contexts are read once (no file watching: the bench's kubeconfig is fixed).
import { ContextRegistry } from '../../proxy/src/kubeconfig/context-registry.ts';
import { silentLogger } from '../../proxy/src/log/redacting-logger.ts';
import { startProxyServer } from '../../proxy/src/server.ts';

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
