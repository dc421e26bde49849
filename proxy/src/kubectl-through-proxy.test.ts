// Real kubectl through the proxy against the simulated cluster's HTTPS server, with the
// client-certificate, token and exec-plugin contexts (issue 3, "Proof").
//
// kubectl talks to the proxy over https:// on the proxy's one port: client-go sends a bearer
// token (here the session secret) only over TLS, so `--server http://…` would arrive without it.
// The test pins the proxy's per-launch certificate with --certificate-authority. The cluster is
// created empty here and the test makes its own changes (the "churn" the watch must stream), so
// the assertions do not depend on seeding.
import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimCluster, type SimCluster } from '../sim/core/sim-cluster.ts';
import { type SimServer, startSimServer } from '../sim/node/sim-server.ts';
import { type Launched, launch } from './launch.ts';
import { createLogger } from './log/redacting-logger.ts';
import { makeTempDir } from './testing/temp-dir.ts';

const SECRET = 'kubectl-test-session-secret-0123456789';
const tmp = makeTempDir();
let cluster: SimCluster;
let sim: SimServer;
let caFile: string;
let proxy: Launched;
const logs: string[] = [];

beforeAll(async () => {
  const simConfig = `${tmp.path}/sim-kubeconfig`;
  cluster = createSimCluster();
  sim = await startSimServer({ port: 0, cluster, kubeconfigOut: simConfig });
  tmp.script(
    'bin/sim-token-plugin',
    `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: ${JSON.stringify(sim.adminToken)} } }));`,
  );
  const execConfig = tmp.write(
    'exec-kubeconfig',
    `clusters: [{ name: sim-exec, cluster: { server: "${sim.url}", certificate-authority-data: "${Buffer.from(sim.caPem).toString('base64')}" } }]
users: [{ name: exec-user, user: { exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: ./bin/sim-token-plugin } } }]
contexts: [{ name: sim-exec, context: { cluster: sim-exec, user: exec-user } }]
`,
  );
  const logger = createLogger((l) => logs.push(l));
  proxy = await launch(
    { port: 0, host: '127.0.0.1', hostExplicit: false, demo: false, open: false },
    { HOME: tmp.path, KUBECONFIG: `${simConfig}:${execConfig}`, KUBEGLASS_SESSION_SECRET: SECRET },
    logger,
  );
  caFile = tmp.write('proxy-ca.crt', proxy.certificatePem);
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await sim?.close();
  cluster?.close();
  const log = logs.join('');
  expect(log).not.toContain(SECRET);
  if (sim) expect(log).not.toContain(sim.adminToken);
  tmp.remove();
});

const emptyKubeconfig = () => tmp.write('empty-kubeconfig', '');
const serverArgs = (context: string, token = SECRET) => [
  '--server',
  `${proxy.origin.replace(/^http:/, 'https:')}/clusters/${context}`,
  '--certificate-authority',
  caFile,
  '--token',
  token,
];

function kubectl(
  context: string,
  args: string[],
  input?: string,
  token = SECRET,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      '/usr/bin/kubectl',
      [...serverArgs(context, token), '--request-timeout', '20s', ...args],
      {
        timeout: 30_000,
        env: { HOME: tmp.path, KUBECONFIG: emptyKubeconfig(), PATH: process.env.PATH ?? '' },
      },
      (err, out, errOut) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out, err: errOut }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

const pod = (name: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'through-proxy' } },
    spec: { containers: [{ name: 'main', image: 'busybox' }] },
  });

describe('kubectl through the proxy', () => {
  it('create -f with each context', async () => {
    for (const [i, context] of ['sim-cert', 'sim-token', 'sim-exec'].entries()) {
      const r = await kubectl(context, ['create', '-f', '-'], pod(`created-${i}`));
      expect(r.err).toBe('');
      expect(r.out).toMatch(new RegExp(`pod/created-${i} created`));
    }
  });

  it.each(['sim-cert', 'sim-token', 'sim-exec'])('get pods -A with context %s', async (context) => {
    const r = await kubectl(context, ['get', 'pods', '-A']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS/);
    for (const i of [0, 1, 2]) expect(r.out).toMatch(new RegExp(`default\\s+created-${i}\\s`));
  });

  it('refuses a wrong session token', async () => {
    const r = await kubectl('sim-cert', ['get', 'pods', '-A'], undefined, 'wrong-token');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/Unauthorized|must be logged in/i);
  });

  it('get pods -w streams rows while the cluster changes', async () => {
    const child = spawn(
      '/usr/bin/kubectl',
      [...serverArgs('sim-token'), 'get', 'pods', '-A', '--watch-only'],
      {
        env: { HOME: tmp.path, KUBECONFIG: emptyKubeconfig(), PATH: process.env.PATH ?? '' },
      },
    );
    const lines: string[] = [];
    child.stdout.on('data', (b: Buffer) => lines.push(...b.toString().split('\n').filter(Boolean)));
    try {
      // Give the watch a moment to start, then change the cluster through the proxy.
      await new Promise((r) => setTimeout(r, 1500));
      for (const i of [0, 1, 2]) {
        const r = await kubectl('sim-cert', ['create', '-f', '-'], pod(`watched-${i}`));
        expect(r.code).toBe(0);
      }
      const end = Date.now() + 15_000;
      while (lines.filter((l) => l.includes('watched-')).length < 3 && Date.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const i of [0, 1, 2]) expect(lines.some((l) => l.includes(`watched-${i}`))).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('get and delete through different contexts', async () => {
    const got = await kubectl('sim-cert', [
      'get',
      'pod',
      'created-1',
      '-n',
      'default',
      '-o',
      'jsonpath={.metadata.labels.app}',
    ]);
    expect(got.out).toBe('through-proxy');
    const deleted = await kubectl('sim-exec', [
      'delete',
      'pod',
      'created-1',
      '-n',
      'default',
      '--wait=false',
    ]);
    expect(deleted.err).toBe('');
    expect(deleted.out).toMatch(/pod "created-1" deleted/);
    const gone = await kubectl('sim-cert', ['get', 'pod', 'created-1', '-n', 'default']);
    expect(gone.code).not.toBe(0);
    expect(gone.err).toMatch(/NotFound|not found/);
  });
});
