// Test-only: a proxy wired to fake apiservers through a real kubeconfig on disk, with its log
// captured. Contexts:
//   tls     https upstream, CA from file, bearer token        cert   same upstream, client certificate
//   plain   http upstream, no credentials                     dead   nothing listens there
//   broken  refers to a user that does not exist              exec   exec plugin whose first token is refused
//   exec-missing  exec plugin whose command is not installed
//   exec-expired  exec plugin that returns a credential whose expirationTimestamp has passed
import { readFileSync } from 'node:fs';
import { type Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { ContextRegistry } from '../kubeconfig/context-registry.ts';
import { createLogger } from '../log/redacting-logger.ts';
import { type ProxyServer, startProxyServer } from '../server.ts';
import { type FakeApiserver, startFakeApiserver } from './fake-apiserver.ts';
import { makeTempDir, type TempDir } from './temp-dir.ts';
import { createTestPki, type TestPki } from './test-pki.ts';

export const SECRET = 'test-session-secret-0123456789abcdef';
export const UPSTREAM_TOKEN = 'upstream-token-very-secret';

export interface ProxyFixture {
  proxy: ProxyServer;
  tls: FakeApiserver;
  plain: FakeApiserver;
  pki: TestPki;
  tmp: TempDir;
  registry: ContextRegistry;
  logs: string[];
  execRuns(): number;
  close(): Promise<void>;
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startProxyFixture(
  opts: { timeoutMs?: number; muxHighWaterBytes?: number } = {},
): Promise<ProxyFixture> {
  const pki = createTestPki();
  const tmp = makeTempDir();
  const tls = await startFakeApiserver({ pki });
  const plain = await startFakeApiserver();
  tls.acceptedAuth.add(`Bearer ${UPSTREAM_TOKEN}`);
  tls.acceptedAuth.add('Bearer exec-token-2');
  tmp.write('pki/ca.crt', pki.caPem);
  tmp.write('pki/client.crt', pki.client.certPem);
  tmp.write('pki/client.key', pki.client.keyPem);
  const counter = tmp.write('exec-runs', '');
  tmp.script(
    'bin/exec-plugin',
    `const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(counter)}, 'x');
const n = fs.readFileSync(${JSON.stringify(counter)}, 'utf8').length;
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'exec-token-' + n } }));`,
  );
  tmp.script(
    'bin/exec-expired-plugin',
    `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'stale-token', expirationTimestamp: '2001-01-01T00:00:00Z' } }));`,
  );
  const dead = await closedPort();
  const kubeconfig = tmp.write(
    'kube/config',
    `current-context: tls
clusters:
- { name: tls, cluster: { server: "${tls.url}", certificate-authority: ../pki/ca.crt } }
- { name: plain, cluster: { server: "${plain.url}" } }
- { name: dead, cluster: { server: "https://127.0.0.1:${dead}", insecure-skip-tls-verify: true } }
users:
- { name: token, user: { token: ${UPSTREAM_TOKEN} } }
- { name: cert, user: { client-certificate: ../pki/client.crt, client-key: ../pki/client.key } }
- { name: exec, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: ../bin/exec-plugin } } }
- { name: exec-missing, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: kubeglass-no-such-plugin, installHint: "install it with: brew install no-such-plugin" } } }
- { name: exec-expired, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: ../bin/exec-expired-plugin } } }
contexts:
- { name: tls, context: { cluster: tls, user: token } }
- { name: cert, context: { cluster: tls, user: cert } }
- { name: plain, context: { cluster: plain } }
- { name: dead, context: { cluster: dead, user: token } }
- { name: broken, context: { cluster: tls, user: nobody } }
- { name: exec, context: { cluster: tls, user: exec } }
- { name: exec-missing, context: { cluster: tls, user: exec-missing } }
- { name: exec-expired, context: { cluster: tls, user: exec-expired } }
`,
  );
  const logs: string[] = [];
  const logger = createLogger((l) => logs.push(l));
  logger.addSecret(SECRET);
  const registry = new ContextRegistry({ files: [kubeconfig], logger });
  const proxy = await startProxyServer({
    registry,
    secret: SECRET,
    logger,
    port: 0,
    staticRoot: tmp.write('app/index.html', '<!doctype html><title>app</title>').replace(/index\.html$/, ''),
    upstream: { timeoutMs: opts.timeoutMs ?? 2_000 },
    ...(opts.muxHighWaterBytes !== undefined ? { muxHighWaterBytes: opts.muxHighWaterBytes } : {}),
  });
  tmp.write('app/assets/index-abcdef1234.js', 'console.log(1)');
  return {
    proxy,
    tls,
    plain,
    pki,
    tmp,
    registry,
    logs,
    execRuns: () => readFileSync(counter, 'utf8').length,
    close: async () => {
      await proxy.close();
      await tls.close();
      await plain.close();
      registry.close();
      tmp.remove();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The request went on a connection kept from an earlier one (an agent's). */
  reused: boolean;
}

/** A plain HTTP request with full control over Host, Origin and friends (fetch forbids those). */
export function send(
  port: number,
  path: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
    /** Default: a connection of its own (no agent). */
    agent?: Agent | false;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...opts.headers },
        agent: opts.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
            reused: req.reusedSocket,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

export const bearer = { authorization: `Bearer ${SECRET}` };
