// Command-line flags of `kubeglass` (node dist/proxy/main.js). Bad flags are a one-line usage
// error, never a stack trace.
import { parseArgs } from 'node:util';

export const USAGE = `usage: kubeglass [options]
  --port P              port to listen on (default 7400; 0 picks a free one)
  --host H              interface to bind (default 127.0.0.1; anything else prints a warning)
  --kubeconfig FILE     use this kubeconfig alone (otherwise $KUBECONFIG, then ~/.kube/config)
  --demo                add the built-in simulated cluster even when a kubeconfig exists
  --no-open             do not open a browser
  --dev-upstream URL    development: relay the app to this Vite dev server (loopback http only)
  --help                this text
environment: KUBECONFIG (path list), KUBEGLASS_SESSION_SECRET (fixed session secret, >= 22 chars)`;

export const DEFAULT_PORT = 7400;

export interface CliOptions {
  port: number;
  host: string;
  /** True when --host was given (binding beyond loopback must be explicit). */
  hostExplicit: boolean;
  kubeconfig?: string;
  demo: boolean;
  open: boolean;
  devUpstream?: URL;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Parse argv (without node and script). Returns null for --help. */
export function parseCliOptions(argv: readonly string[]): CliOptions | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        kubeconfig: { type: 'string' },
        demo: { type: 'boolean' },
        'no-open': { type: 'boolean' },
        'dev-upstream': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return null;
  const rawPort = values.port;
  let port = DEFAULT_PORT;
  if (typeof rawPort === 'string') {
    if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) > 65535) {
      throw new UsageError(`--port must be a number from 0 to 65535, got "${rawPort}"`);
    }
    port = Number(rawPort);
  }
  const host = typeof values.host === 'string' ? values.host.trim() : '127.0.0.1';
  if (host === '') throw new UsageError('--host must not be empty');
  const opts: CliOptions = {
    port,
    host,
    hostExplicit: typeof values.host === 'string',
    demo: values.demo === true,
    open: values['no-open'] !== true,
  };
  if (typeof values.kubeconfig === 'string') {
    if (values.kubeconfig.trim() === '') throw new UsageError('--kubeconfig must not be empty');
    opts.kubeconfig = values.kubeconfig;
  }
  if (typeof values['dev-upstream'] === 'string') {
    let url: URL;
    try {
      url = new URL(values['dev-upstream']);
    } catch {
      throw new UsageError('--dev-upstream must be a URL such as http://127.0.0.1:5173');
    }
    if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''))) {
      throw new UsageError('--dev-upstream must be a loopback http URL');
    }
    opts.devUpstream = url;
  }
  return opts;
}
