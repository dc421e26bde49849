import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log/redacting-logger.ts';
import { makeTempDir } from '../testing/temp-dir.ts';
import { ContextRegistry } from './context-registry.ts';

const tmp = makeTempDir();
afterAll(() => tmp.remove());

const good = (ctx: string, server = 'https://127.0.0.1:1') => `
current-context: ${ctx}
clusters: [{ name: ${ctx}-c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: ${ctx}-u, user: { token: secret-token-${ctx} } }]
contexts: [{ name: ${ctx}, context: { cluster: ${ctx}-c, user: ${ctx}-u, namespace: ns-${ctx} } }]
`;

function logs() {
  const lines: string[] = [];
  return { lines, logger: createLogger((l) => lines.push(l)) };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ContextRegistry', () => {
  it('KC-01 a bad file is reported and the other files keep working', () => {
    const a = tmp.write('iso/a.yaml', good('alpha'));
    const bad = tmp.write('iso/bad.yaml', 'contexts: [unclosed');
    const { lines, logger } = logs();
    const reg = new ContextRegistry({ files: [bad, a], logger });
    expect(reg.list()).toEqual({
      current: 'alpha',
      contexts: [
        {
          name: 'alpha',
          cluster: 'alpha-c',
          user: 'alpha-u',
          namespace: 'ns-alpha',
          server: 'https://127.0.0.1:1',
        },
      ],
    });
    expect(lines.join('')).toMatch(/bad\.yaml: invalid YAML/);
  });

  it('KC-09 the context list never carries a credential', () => {
    const a = tmp.write('kc09/a.yaml', good('alpha'));
    const reg = new ContextRegistry({ files: [a], logger: logs().logger });
    expect(JSON.stringify(reg.list())).not.toContain('secret-token');
  });

  it('a context with a bad field gets an error while its neighbours resolve', () => {
    const file = tmp.write(
      'mixed/config',
      `${good('ok')}
- name: broken
  context: { cluster: ok-c, user: nobody }
`.replace(
        'contexts: [{ name: ok, context: { cluster: ok-c, user: ok-u, namespace: ns-ok } }]',
        'contexts:\n- name: ok\n  context: { cluster: ok-c, user: ok-u }',
      ),
    );
    const reg = new ContextRegistry({ files: [file], logger: logs().logger });
    expect(reg.get('ok')?.info.error).toBeUndefined();
    expect(reg.get('ok')?.target).toBeDefined();
    expect(reg.get('broken')?.info.error).toMatch(/user "nobody" does not exist/);
  });

  it('picks up files that appear, change and disappear without a restart', async () => {
    const a = tmp.write('watch/a.yaml', good('alpha'));
    const b = `${tmp.path}/watch/b.yaml`;
    const reg = new ContextRegistry({ files: [a, b], logger: logs().logger, debounceMs: 20 });
    let changes = 0;
    reg.onChange(() => changes++);
    reg.watch();
    try {
      expect(reg.list().contexts.map((c) => c.name)).toEqual(['alpha']);
      tmp.write('watch/b.yaml', good('beta'));
      await until(() => reg.get('beta') !== undefined);
      tmp.write('watch/a.yaml', good('gamma'));
      await until(() => reg.get('gamma') !== undefined && reg.get('alpha') === undefined);
      expect(reg.list().current).toBe('gamma');
      expect(changes).toBeGreaterThanOrEqual(2);
    } finally {
      reg.close();
    }
  });

  it('notices a kubeconfig appearing in a directory that did not exist at start (~/.kube)', async () => {
    const file = `${tmp.path}/later/.kube/config`;
    const reg = new ContextRegistry({
      files: [file],
      logger: logs().logger,
      debounceMs: 20,
      pollIntervalMs: 100,
    });
    reg.watch();
    try {
      expect(reg.list().contexts).toEqual([]);
      tmp.write('later/.kube/config', good('late'));
      await until(() => reg.get('late') !== undefined, 8000);
    } finally {
      reg.close();
    }
  });

  it('notices a kubeconfig written between the first load and the watch starting', async () => {
    const file = `${tmp.path}/gap/.kube/config`;
    const reg = new ContextRegistry({ files: [file], logger: logs().logger, debounceMs: 20 });
    // The directory and file appear after the constructor's load but before watch(): no
    // filesystem event will ever report them, so only the reload that watch() schedules can.
    tmp.write('gap/.kube/config', good('gap'));
    reg.watch();
    try {
      expect(reg.get('gap')).toBeUndefined();
      await until(() => reg.get('gap') !== undefined);
    } finally {
      reg.close();
    }
  });

  it('a reload with unchanged bytes keeps the same resolved contexts (exec caches survive)', () => {
    const a = tmp.write('same/a.yaml', good('alpha'));
    const reg = new ContextRegistry({ files: [a], logger: logs().logger });
    const before = reg.get('alpha');
    reg.reload();
    expect(reg.get('alpha')).toBe(before);
  });

  it('extra contexts (the simulated cluster) are listed after file contexts and lose name clashes', () => {
    const a = tmp.write('extra/a.yaml', good('alpha'));
    const demo = {
      info: {
        name: 'kubeglass-demo',
        cluster: 'd',
        server: 'x',
        namespace: 'default',
        user: 'd',
        simulated: true,
      },
    };
    const clash = { info: { name: 'alpha', cluster: 'z', server: 'z', namespace: 'z', user: 'z' } };
    const reg = new ContextRegistry({ files: [a], extra: [demo, clash], logger: logs().logger });
    expect(reg.list().contexts.map((c) => [c.name, c.cluster])).toEqual([
      ['alpha', 'alpha-c'],
      ['kubeglass-demo', 'd'],
    ]);
  });

  it('KC-08 falls back to the in-cluster service account when no file defines a context', () => {
    const sa = tmp.path.concat('/sa');
    tmp.write('sa/token', 'sa-token');
    tmp.write('sa/namespace', 'kube-apps\n');
    const reg = new ContextRegistry({
      files: [],
      logger: logs().logger,
      inCluster: {
        env: { KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' },
        serviceAccountDir: sa,
      },
    });
    const ctx = reg.get('in-cluster');
    expect(ctx?.info).toMatchObject({ server: 'https://10.0.0.1:443', namespace: 'kube-apps' });
    expect(reg.list().current).toBe('in-cluster');
    const noEnv = new ContextRegistry({
      files: [],
      logger: logs().logger,
      inCluster: { env: {}, serviceAccountDir: sa },
    });
    expect(noEnv.list()).toEqual({ current: null, contexts: [] });
  });

  it('close() stops a running exec plugin, so none outlives the proxy', async () => {
    const hanging = tmp.script('iso/hang-plugin', 'setInterval(() => {}, 1000);');
    const file = tmp.write(
      'iso/exec.yaml',
      `
current-context: login
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(hanging)} } } }]
contexts: [{ name: login, context: { cluster: c, user: u } }]
`,
    );
    const reg = new ContextRegistry({ files: [file], logger: logs().logger, exec: { timeoutMs: 60_000 } });
    const credentials = reg.get('login')?.target?.credentials;
    if (!credentials) throw new Error('the exec context did not resolve');
    const pending = credentials.get();
    const started = Date.now();
    reg.close();
    await expect(pending).rejects.toThrow(/was stopped: kubeglass is shutting down/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
