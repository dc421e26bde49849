// Real kubectl through the proxy against the simulated cluster's HTTPS server, with the
// client-certificate, token and exec-plugin contexts (issue 3, "Proof").
import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimServer, startSimServer } from '../sim/node/sim-server.ts';
import { type Launched, launch } from './launch.ts';
import { createLogger } from './log/redacting-logger.ts';
import { makeTempDir } from './testing/temp-dir.ts';

const SECRET = 'kubectl-test-session-secret-0123456789';
const tmp = makeTempDir();
let sim: SimServer;
let proxy: Launched;
const logs: string[] = [];

beforeAll(async () => {
  const simConfig = `${tmp.path}/sim-kubeconfig`;
  sim = await startSimServer({ port: 0, pods: 40, churnPerSecond: 20, kubeconfigOut: simConfig });
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
}, 60_000);

afterAll(async () => {
  await proxy?.close();
  await sim?.close();
  const log = logs.join('');
  expect(log).not.toContain(SECRET);
  if (sim) expect(log).not.toContain(sim.adminToken);
  tmp.remove();
});

const emptyKubeconfig = () => tmp.write('empty-kubeconfig', '');

function kubectl(
  context: string,
  args: string[],
  input?: string,
  token = SECRET,
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      '/usr/bin/kubectl',
      [
        '--server',
        `${proxy.origin}/clusters/${context}`,
        '--token',
        token,
        '--request-timeout',
        '20s',
        ...args,
      ],
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

describe('kubectl through the proxy', () => {
  it.each(['sim-cert', 'sim-token', 'sim-exec'])('get pods -A with context %s', async (context) => {
    const r = await kubectl(context, ['get', 'pods', '-A']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS/);
    expect(r.out.trim().split('\n').length).toBeGreaterThan(10);
  });

  it('refuses a wrong session token', async () => {
    const r = await kubectl('sim-cert', ['get', 'pods', '-A'], undefined, 'wrong-token');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/Unauthorized|must be logged in/i);
  });

  it('get pods -w streams rows while churn runs', async () => {
    const child = spawn(
      '/usr/bin/kubectl',
      [
        '--server',
        `${proxy.origin}/clusters/sim-token`,
        '--token',
        SECRET,
        'get',
        'pods',
        '-A',
        '--watch-only',
      ],
      { env: { HOME: tmp.path, KUBECONFIG: emptyKubeconfig(), PATH: process.env.PATH ?? '' } },
    );
    const lines: string[] = [];
    child.stdout.on('data', (b: Buffer) => lines.push(...b.toString().split('\n').filter(Boolean)));
    try {
      const end = Date.now() + 20_000;
      while (lines.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(lines.length).toBeGreaterThanOrEqual(3);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('create -f, get and delete a ConfigMap', async () => {
    const manifest = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'through-proxy', namespace: 'default' },
      data: { a: '1' },
    });
    const created = await kubectl('sim-cert', ['create', '-f', '-'], manifest);
    expect(created.err).toBe('');
    expect(created.out).toMatch(/configmap\/through-proxy created/);
    const got = await kubectl('sim-cert', [
      'get',
      'configmap',
      'through-proxy',
      '-n',
      'default',
      '-o',
      'jsonpath={.data.a}',
    ]);
    expect(got.out).toBe('1');
    const deleted = await kubectl('sim-exec', ['delete', 'configmap', 'through-proxy', '-n', 'default']);
    expect(deleted.out).toMatch(/deleted/);
    const gone = await kubectl('sim-cert', ['get', 'configmap', 'through-proxy', '-n', 'default']);
    expect(gone.code).not.toBe(0);
    expect(gone.err).toMatch(/NotFound|not found/);
  });
});
