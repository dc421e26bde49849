import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../contract/api.ts';
import type { CliOptions } from './cli-options.ts';
import { ExplicitKubeconfigMissingError } from './kubeconfig/kubeconfig-sources.ts';
import { launch } from './launch.ts';
import { createLogger } from './log/redacting-logger.ts';
import { WeakSessionSecretError } from './session/session-guard.ts';
import { startFakeApiserver } from './testing/fake-apiserver.ts';
import { makeTempDir } from './testing/temp-dir.ts';

const tmp = makeTempDir();
afterAll(() => tmp.remove());
const opts = (over: Partial<CliOptions> = {}): CliOptions => ({
  port: 0,
  host: '127.0.0.1',
  hostExplicit: false,
  demo: false,
  open: false,
  ...over,
});

describe('launch', () => {
  it('KC-01 serves the explicit kubeconfig alone and prints a URL carrying the secret', async () => {
    const upstream = await startFakeApiserver();
    const explicit = tmp.write(
      'explicit.yaml',
      `clusters: [{ name: c, cluster: { server: "${upstream.url}" } }]
contexts: [{ name: only, context: { cluster: c } }]
current-context: only`,
    );
    const ignored = tmp.write('ignored.yaml', 'contexts: [{ name: other, context: { cluster: c } }]');
    const lines: string[] = [];
    const launched = await launch(
      opts({ kubeconfig: explicit }),
      { KUBECONFIG: ignored, HOME: tmp.path, KUBEGLASS_SESSION_SECRET: 'launch-secret-0123456789abc' },
      createLogger((l) => lines.push(l)),
    );
    try {
      expect(launched.url).toBe(`http://127.0.0.1:${launched.port}/?token=launch-secret-0123456789abc`);
      const res = await fetch(`${launched.origin}${ROUTES.contexts}`, {
        headers: { authorization: 'Bearer launch-secret-0123456789abc' },
      });
      expect(await res.json()).toEqual({
        current: 'only',
        contexts: [{ name: 'only', cluster: 'c', user: '', namespace: 'default', server: upstream.url }],
      });
      const pods = await fetch(`${launched.origin}/clusters/only/api/v1/pods`, {
        headers: { authorization: 'Bearer launch-secret-0123456789abc' },
      });
      expect(pods.status).toBe(200);
      expect(lines.join('')).not.toContain('launch-secret-0123456789abc');
    } finally {
      await launched.close();
      await upstream.close();
    }
  });

  it('KC-01 fails clearly when the explicit kubeconfig does not exist', async () => {
    await expect(
      launch(
        opts({ kubeconfig: `${tmp.path}/missing` }),
        { HOME: tmp.path },
        createLogger(() => {}),
      ),
    ).rejects.toThrow(ExplicitKubeconfigMissingError);
  });

  it('refuses a weak fixed session secret', async () => {
    await expect(
      launch(
        opts(),
        { HOME: tmp.path, KUBEGLASS_SESSION_SECRET: 'weak' },
        createLogger(() => {}),
      ),
    ).rejects.toThrow(WeakSessionSecretError);
  });

  it('with no kubeconfig at all, serves the built-in simulated cluster as the only context', async () => {
    const home = `${tmp.path}/empty-home`;
    const launched = await launch(
      opts(),
      { HOME: home, KUBEGLASS_SESSION_SECRET: 'demo-secret-0123456789abcdef' },
      createLogger(() => {}),
    );
    try {
      const auth = { authorization: 'Bearer demo-secret-0123456789abcdef' };
      const list = (await (
        await fetch(`${launched.origin}${ROUTES.contexts}`, { headers: auth })
      ).json()) as {
        current: string;
        contexts: { name: string; simulated?: boolean; error?: string }[];
      };
      expect(list.current).toBe('kubeglass-demo');
      expect(list.contexts).toHaveLength(1);
      expect(list.contexts[0]).toMatchObject({ name: 'kubeglass-demo', simulated: true });
      expect(list.contexts[0]?.error).toBeUndefined();
      const pods = await fetch(`${launched.origin}/clusters/kubeglass-demo/api/v1/pods?limit=1`, {
        headers: auth,
      });
      expect(pods.status).toBe(200);
      expect(((await pods.json()) as { items: unknown[] }).items).toHaveLength(1);
    } finally {
      await launched.close();
    }
  });

  it('warns when binding beyond loopback', async () => {
    const file = tmp.write('k.yaml', 'contexts: [{ name: x, context: {} }]');
    const lines: string[] = [];
    const launched = await launch(
      opts({ kubeconfig: file, host: '0.0.0.0', hostExplicit: true }),
      { HOME: tmp.path },
      createLogger((l) => lines.push(l)),
    );
    await launched.close();
    expect(lines.join('')).toMatch(/reachable from other machines/);
  });
});
