// The target of the hostile-input suite: a real proxy (in-process, port 0) in front of recording
// fake apiservers, plus a "victim" server that is NOT in the kubeconfig and must never be reached.
// The session secret of a previous launch (a proxy started, used for a cookie, then stopped) is
// kept so tests can replay it. Contexts:
//   tls    https upstream, bearer token            plain  http upstream, no credentials
//   shell  exec plugin whose args and env carry shell metacharacters
//   shell-command  exec plugin whose command string itself carries a shell command
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ContextRegistry } from '../../proxy/src/kubeconfig/context-registry.ts';
import { createLogger } from '../../proxy/src/log/redacting-logger.ts';
import { type ProxyServer, startProxyServer } from '../../proxy/src/server.ts';
import { generateSessionSecret } from '../../proxy/src/session/session-guard.ts';
import { type FakeApiserver, startFakeApiserver } from '../../proxy/src/testing/fake-apiserver.ts';
import { makeTempDir, type TempDir } from '../../proxy/src/testing/temp-dir.ts';
import { createTestPki } from '../../proxy/src/testing/test-pki.ts';
import { rawRequest } from './raw-http.ts';

export const UPSTREAM_TOKEN = 'adversarial-upstream-token-9f8e7d';
export const EXEC_TOKEN = 'adversarial-exec-token-1a2b3c';
/** Small so the oversized-body cases stay cheap; the default limit is covered by server.test.ts. */
export const BODY_LIMIT = 64 * 1024;

/** Shell payloads for the exec plugin. Each would create its canary file if a shell ran it. */
export function shellPayloads(canaryDir: string): { args: string[]; env: string; command: string } {
  const c = (n: number) => join(canaryDir, `canary-${n}`);
  return {
    args: [
      `; touch ${c(1)}`,
      `$(touch ${c(2)})`,
      `\`touch ${c(3)}\``,
      `| touch ${c(4)}`,
      `x\ntouch ${c(5)}`,
      `&& touch ${c(6)} &`,
      `'"\\ * ~ $HOME > ${c(7)}`,
      '',
    ],
    env: `$(touch ${c(8)});\`touch ${c(9)}\``,
    command: `touch ${c(10)}; echo`,
  };
}

export const CANARY_COUNT = 10;

export interface Victim {
  url: string;
  port: number;
  requests: string[];
  connections(): number;
  close(): Promise<void>;
}

async function startVictim(): Promise<Victim> {
  const requests: string[] = [];
  let connections = 0;
  const server = createServer((req: IncomingMessage, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.end('victim');
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface HostileProxy {
  proxy: ProxyServer;
  port: number;
  secret: string;
  /** The secret of a previous launch, and the cookie that launch issued for it. */
  oldSecret: string;
  oldCookie: string;
  /** A cookie for the current launch, obtained through the ?token= exchange. */
  cookie: string;
  tls: FakeApiserver;
  plain: FakeApiserver;
  victim: Victim;
  tmp: TempDir;
  /** Where the exec plugin writes the argv and env it received (one JSON line per run). */
  argvLog: string;
  canaryDir: string;
  logs: string[];
  /** Requests the upstreams and the victim have seen so far, in total. */
  upstreamHits(): number;
  canariesFound(): string[];
  close(): Promise<void>;
}

async function exchangeCookie(port: number, secret: string): Promise<string> {
  const reply = await rawRequest(
    port,
    `GET /?token=${encodeURIComponent(secret)} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close`,
  );
  const setCookie = reply.headers['set-cookie'] ?? '';
  const pair = setCookie.split(';')[0] ?? '';
  if (reply.status !== 302 || !pair.includes('=')) throw new Error(`token exchange failed: ${reply.status}`);
  return pair;
}

export async function startHostileProxy(): Promise<HostileProxy> {
  const pki = createTestPki();
  const tmp = makeTempDir('kubeglass-adversarial-');
  const tls = await startFakeApiserver({ pki });
  const plain = await startFakeApiserver();
  const victim = await startVictim();
  tls.acceptedAuth.add(`Bearer ${UPSTREAM_TOKEN}`);
  tls.acceptedAuth.add(`Bearer ${EXEC_TOKEN}`);
  const caFile = tmp.write('pki/ca.crt', pki.caPem);
  const argvLog = tmp.write('exec-argv.log', '');
  const canaryDir = join(tmp.path, 'canaries');
  const plugin = tmp.script(
    'bin/argv-plugin',
    `const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(argvLog)}, JSON.stringify({ argv: process.argv.slice(2), env: process.env.KG_EVIL }) + '\\n');
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: ${JSON.stringify(EXEC_TOKEN)} } }));`,
  );
  const payloads = shellPayloads(canaryDir);
  const exec = (command: string) => ({
    apiVersion: 'client.authentication.k8s.io/v1',
    command,
    args: payloads.args,
    env: [{ name: 'KG_EVIL', value: payloads.env }],
  });
  // JSON is YAML: writing the kubeconfig as JSON keeps every payload byte exact, no quoting rules.
  const kubeconfig = tmp.write(
    'kube/config',
    JSON.stringify({
      'current-context': 'tls',
      clusters: [
        { name: 'tls', cluster: { server: tls.url, 'certificate-authority': caFile } },
        { name: 'plain', cluster: { server: plain.url } },
      ],
      users: [
        { name: 'token', user: { token: UPSTREAM_TOKEN } },
        { name: 'shell', user: { exec: exec(plugin) } },
        { name: 'shell-command', user: { exec: exec(`${plugin}; ${payloads.command}`) } },
      ],
      contexts: [
        { name: 'tls', context: { cluster: 'tls', user: 'token' } },
        { name: 'plain', context: { cluster: 'plain' } },
        { name: 'shell', context: { cluster: 'tls', user: 'shell' } },
        { name: 'shell-command', context: { cluster: 'tls', user: 'shell-command' } },
      ],
    }),
  );
  const logs: string[] = [];
  const logger = createLogger((l) => logs.push(l));
  const registry = new ContextRegistry({ files: [kubeconfig], logger });
  const staticRoot = tmp.write('app/index.html', '<!doctype html><title>kubeglass app shell</title>');
  tmp.write('app/assets/index-abcdef1234.js', 'console.log(1)');
  const launch = async (secret: string) => {
    logger.addSecret(secret);
    return startProxyServer({
      registry,
      secret,
      logger,
      port: 0,
      staticRoot: staticRoot.replace(/index\.html$/, ''),
      upstream: { timeoutMs: 2_000 },
      bodyLimit: BODY_LIMIT,
    });
  };
  const oldSecret = generateSessionSecret();
  const previous = await launch(oldSecret);
  const oldCookie = await exchangeCookie(previous.port, oldSecret);
  await previous.close();
  const secret = generateSessionSecret();
  const proxy = await launch(secret);
  const cookie = await exchangeCookie(proxy.port, secret);
  return {
    proxy,
    port: proxy.port,
    secret,
    oldSecret,
    oldCookie,
    cookie,
    tls,
    plain,
    victim,
    tmp,
    argvLog,
    canaryDir,
    logs,
    upstreamHits: () => tls.requests.length + plain.requests.length + victim.requests.length,
    canariesFound: () =>
      Array.from({ length: CANARY_COUNT }, (_, i) => join(canaryDir, `canary-${i + 1}`)).filter((f) =>
        existsSync(f),
      ),
    close: async () => {
      await proxy.close();
      await tls.close();
      await plain.close();
      await victim.close();
      registry.close();
      tmp.remove();
    },
  };
}

/** The exec plugin's recorded runs. */
export function pluginRuns(argvLog: string): { argv: string[]; env: string }[] {
  return readFileSync(argvLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { argv: string[]; env: string });
}
