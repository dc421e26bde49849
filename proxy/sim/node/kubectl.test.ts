// The proof that a real client cannot tell the simulated cluster from a small real one: the
// REAL kubectl (/usr/bin/kubectl, a dispatcher that picks a kubectl matching the server's
// /version) runs against a started server through the kubeconfig the server wrote.
// Every failure message carries kubectl's stderr so a failure is diagnosable from the log.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { SimCluster } from '../core/sim-cluster.ts';
import { createCertificateAuthority, issueClientCertificate } from './certificates.ts';
import { type SeededCluster, startSeededCluster } from './seeded-cluster.ts';
import { type SimServer, startSimServer } from './sim-server.ts';

const KUBECTL = '/usr/bin/kubectl';
const hasKubectl = existsSync(KUBECTL);
if (!hasKubectl) console.warn(`kubectl.test.ts skipped: ${KUBECTL} is not installed`);

/** Each kubectl call is bounded; a hung call fails the test instead of the suite timing out. */
const KUBECTL_TIMEOUT_MS = 20_000;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

let server: SimServer;
let seeded: SeededCluster | undefined;
const requests: string[] = [];
let dir: string;
let kubeconfig: string;

/**
 * Run kubectl with stdin closed (with no usable credentials kubectl would otherwise prompt for a
 * user name and wait), killed after KUBECTL_TIMEOUT_MS.
 */
function kubectl(context: string, args: string[], config = kubeconfig): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(KUBECTL, ['--kubeconfig', config, '--context', context, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${KUBECTL_TIMEOUT_MS} ms]`;
      child.kill('SIGKILL');
    }, KUBECTL_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** Run kubectl and require success; the assertion message shows the command and its stderr. */
async function ok(context: string, args: string[]): Promise<string> {
  const result = await kubectl(context, args);
  expect(result.code, `kubectl --context ${context} ${args.join(' ')}\nstderr:\n${result.stderr}`).toBe(0);
  return result.stdout;
}

function lines(output: string): string[] {
  return output.split('\n').filter((line) => line.trim() !== '');
}

async function manifest(name: string, doc: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, stringify(doc));
  return path;
}

const WIDGET_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.proof.kubeglass.dev' },
  spec: {
    group: 'proof.kubeglass.dev',
    scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        additionalPrinterColumns: [
          { name: 'Color', type: 'string', jsonPath: '.spec.color' },
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
        ],
      },
    ],
  },
};

describe.skipIf(!hasKubectl)('kubectl against the simulated cluster', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubectl-proof-'));
    kubeconfig = join(dir, 'kubeconfig');
    seeded = startSeededCluster({ pods: 30, churnPerSecond: 20 });
    // Record what kubectl asks for, so tests can check the wire protocol behind the output.
    const cluster = seeded.cluster;
    const recording: SimCluster = {
      ...cluster,
      handle: (req) => {
        requests.push(`${req.method} ${req.path}?${req.query.toString()}`);
        return cluster.handle(req);
      },
    };
    server = await startSimServer({ cluster: recording, kubeconfigOut: kubeconfig });
  });

  afterAll(async () => {
    await server?.close();
    seeded?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe.each(['sim-cert', 'sim-token'])('with the %s context', (context) => {
    it('get ns lists the seeded namespaces', async () => {
      const out = lines(await ok(context, ['get', 'ns']));
      expect(out[0]).toMatch(/^NAME\s+STATUS\s+AGE/);
      expect(out.some((line) => /^default\s+Active\s/.test(line))).toBe(true);
      expect(out.some((line) => /^kube-system\s+Active\s/.test(line))).toBe(true);
    });

    it('get pods -A shows pods of several namespaces with kubectl columns', async () => {
      const out = lines(await ok(context, ['get', 'pods', '-A']));
      expect(out[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
      expect(out.length).toBeGreaterThan(10);
      expect(new Set(out.slice(1).map((line) => line.split(/\s+/)[0])).size).toBeGreaterThan(1);
    });

    it('get pods -A --chunk-size=2 pages through the same rows (limit/continue)', async () => {
      // Churn changes the set between the two calls; compare on the stable part: the namespace column's
      // population and that both lists are long. The paged call must succeed across many pages.
      const before = requests.length;
      const paged = lines(await ok(context, ['get', 'pods', '-A', '--chunk-size=2', '-o', 'name']));
      const pages = requests
        .slice(before)
        .filter((r) => r.startsWith('GET /api/v1/pods?') && r.includes('limit=2'));
      expect(pages.length).toBeGreaterThan(5);
      expect(pages.slice(1).every((r) => r.includes('continue='))).toBe(true);
      const whole = lines(await ok(context, ['get', 'pods', '-A', '-o', 'name']));
      expect(paged.length).toBeGreaterThan(10);
      expect(Math.abs(paged.length - whole.length)).toBeLessThan(10);
      expect(new Set(paged).size).toBe(paged.length);
    });

    it('api-resources lists core, apps and CRD resources', async () => {
      const out = await ok(context, ['api-resources']);
      expect(out).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
      expect(out).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      expect(out).toMatch(/^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    });

    it('selects pods by label and by field', async () => {
      const all = lines(
        await ok(context, [
          'get',
          'pods',
          '-A',
          '-o',
          'jsonpath={range .items[*]}{.metadata.labels.app}{"\\n"}{end}',
        ]),
      );
      const app = all.find((value) => value !== '');
      expect(app, 'no seeded pod has an app label').toBeDefined();
      const byLabel = lines(
        await ok(context, [
          'get',
          'pods',
          '-A',
          '-l',
          `app=${app}`,
          '-o',
          'jsonpath={range .items[*]}{.metadata.labels.app}{"\\n"}{end}',
        ]),
      );
      expect(byLabel.length).toBeGreaterThan(0);
      expect(byLabel.every((value) => value === app)).toBe(true);

      const running = lines(
        await ok(context, [
          'get',
          'pods',
          '-A',
          '--field-selector',
          'status.phase=Running',
          '-o',
          'jsonpath={range .items[*]}{.status.phase}{"\\n"}{end}',
        ]),
      );
      expect(running.length).toBeGreaterThan(0);
      expect(running.every((phase) => phase === 'Running')).toBe(true);
    });
  });

  it('create -f, apply -f (create then configure) and delete a ConfigMap', async () => {
    const name = 'proof-config';
    const file = await manifest('cm.yaml', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'default' },
      data: { greeting: 'hello' },
    });
    expect(await ok('sim-cert', ['create', '-f', file])).toMatch(`configmap/${name} created`);
    const again = await kubectl('sim-cert', ['create', '-f', file]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/AlreadyExists|already exists/);
    expect(await ok('sim-token', ['delete', 'configmap', name])).toMatch(`configmap "${name}" deleted`);

    const applyFile = await manifest('cm-apply.yaml', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'proof-applied', namespace: 'default' },
      data: { greeting: 'hello' },
    });
    expect(await ok('sim-token', ['apply', '-f', applyFile])).toMatch('configmap/proof-applied created');
    await manifest('cm-apply.yaml', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'proof-applied', namespace: 'default' },
      data: { greeting: 'bonjour' },
    });
    expect(await ok('sim-token', ['apply', '-f', applyFile])).toMatch('configmap/proof-applied configured');
    const value = await ok('sim-cert', [
      'get',
      'configmap',
      'proof-applied',
      '-o',
      'jsonpath={.data.greeting}',
    ]);
    expect(value).toBe('bonjour');
    expect(await ok('sim-cert', ['delete', '-f', applyFile])).toMatch('configmap "proof-applied" deleted');
    const gone = await kubectl('sim-cert', ['get', 'configmap', 'proof-applied']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/NotFound|not found/);
  });

  it('serves a CRD applied with kubectl and prints its additionalPrinterColumns', async () => {
    const crdFile = await manifest('crd.yaml', WIDGET_CRD);
    expect(await ok('sim-cert', ['apply', '-f', crdFile])).toMatch(
      /customresourcedefinition.*gadgets\.proof\.kubeglass\.dev created/,
    );
    const gadget = await manifest('gadget.yaml', {
      apiVersion: 'proof.kubeglass.dev/v1',
      kind: 'Gadget',
      metadata: { name: 'g1', namespace: 'default' },
      spec: { color: 'teal', size: 3 },
    });
    // Discovery of the new group may lag one cached round in kubectl; a fresh process asks again.
    expect(await ok('sim-cert', ['create', '-f', gadget])).toMatch('gadget.proof.kubeglass.dev/g1 created');
    const out = lines(await ok('sim-token', ['get', 'gadgets', '-A']));
    // With additionalPrinterColumns set, the columns are exactly Name plus those (no implicit Age).
    expect(out[0]).toMatch(/^NAMESPACE\s+NAME\s+COLOR\s+SIZE$/);
    expect(out[1]).toMatch(/^default\s+g1\s+teal\s+3$/);
  });

  it('get pods -w keeps printing rows while churn runs', async () => {
    const child = spawn(
      KUBECTL,
      ['--kubeconfig', kubeconfig, '--context', 'sim-cert', 'get', 'pods', '-A', '-w', '--no-headers'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    // The initial list arrives first; wait for it, then for rows that came after it.
    await expect
      .poll(() => lines(stdout).length, { timeout: 10_000, message: `no rows; stderr:\n${stderr}` })
      .toBeGreaterThan(0);
    const initial = lines(stdout).length;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    const watched = lines(stdout).length - initial;
    expect(watched, `only ${watched} rows after the initial list; stderr:\n${stderr}`).toBeGreaterThanOrEqual(
      5,
    );
  });

  it('gives the viewer Forbidden on create and still lets it read', async () => {
    const file = await manifest('viewer-cm.yaml', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'viewer-attempt', namespace: 'default' },
    });
    const denied = await kubectl('sim-viewer', ['create', '-f', file]);
    expect(denied.code, denied.stderr).not.toBe(0);
    expect(denied.stderr).toMatch(/Forbidden|forbidden/);
    expect(await ok('sim-viewer', ['get', 'ns', '-o', 'name'])).toMatch('namespace/default');
  });

  /** A kubeconfig for this server whose only user has the given (unaccepted) credentials. */
  async function foreignKubeconfig(name: string, user: Record<string, string>): Promise<string> {
    const path = join(dir, name);
    await writeFile(
      path,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'sim',
            cluster: {
              server: server.url,
              'certificate-authority-data': Buffer.from(server.caPem).toString('base64'),
            },
          },
        ],
        users: [{ name: 'stranger', user }],
        contexts: [{ name: 'stranger', context: { cluster: 'sim', user: 'stranger' } }],
        'current-context': 'stranger',
      }),
      { mode: 0o600 },
    );
    return path;
  }

  // kubectl never sends a request with no credentials at all: it prompts for a user name first.
  // An unaccepted token and a certificate from another CA both reach the server as anonymous.
  it('answers 401 to an unknown bearer token', async () => {
    const config = await foreignKubeconfig('wrong-token', { token: 'not-a-token-of-this-cluster' });
    const result = await kubectl('stranger', ['get', 'ns'], config);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/error: You must be logged in to the server/);
  });

  it('answers 401 to a client certificate from another CA', async () => {
    const otherCa = createCertificateAuthority();
    const cert = issueClientCertificate(otherCa, { user: 'mallory', groups: ['system:masters'] });
    const config = await foreignKubeconfig('foreign-cert', {
      'client-certificate-data': Buffer.from(cert.certPem).toString('base64'),
      'client-key-data': Buffer.from(cert.keyPem).toString('base64'),
    });
    const result = await kubectl('stranger', ['get', 'ns'], config);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/error: You must be logged in to the server/);
  });
});
