import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../testing/temp-dir.ts';
import { type ExecConfig, execCredentials, parseExecConfig } from './exec-credential-plugin.ts';

const tmp = makeTempDir();
afterAll(() => tmp.remove());

const V1 = 'client.authentication.k8s.io/v1';
const V1B1 = 'client.authentication.k8s.io/v1beta1';

// Each run appends a line to a counter file so tests can see how often the plugin ran.
const tokenPlugin = tmp.script(
  'bin/token-plugin',
  `const fs = require('node:fs');
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
fs.appendFileSync(process.env.COUNTER, 'x');
const n = fs.readFileSync(process.env.COUNTER, 'utf8').length;
const status = { token: process.env.TOKEN_PREFIX + '-' + n + '-' + process.argv[2] };
// Expiry is relative to a base the test controls, so the test's fake clock and the plugin agree.
if (process.env.EXPIRES_BASE) status.expirationTimestamp = new Date(Number(process.env.EXPIRES_BASE) + n * 60000).toISOString();
process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status }));`,
);

function config(over: Partial<ExecConfig> & { counter: string }): ExecConfig {
  const { counter, ...rest } = over;
  return {
    apiVersion: V1,
    command: tokenPlugin,
    args: ['arg1'],
    env: [
      { name: 'COUNTER', value: counter },
      { name: 'TOKEN_PREFIX', value: 'tok' },
    ],
    dir: tmp.path,
    ...rest,
  };
}
const counter = (name: string) => tmp.write(`counters/${name}`, '');

/** The pid a plugin wrote to `file`, once it has (bounded wait). */
async function waitForPid(file: string): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const text = readFileSync(file, 'utf8');
    if (text !== '') return Number(text);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no pid in ${file} after 5 s`);
}

/** Resolves once no process has `pid` (signal 0 probes without killing); bounded. */
async function expectGone(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`process ${pid} still runs 5 s after dispose()`);
}
const runs = (file: string) => readFileSync(file, 'utf8').length;

describe('exec credential plugins (KC-06)', () => {
  it.each([V1, V1B1])(
    'returns the token printed by a %s plugin, passing args and env',
    async (apiVersion) => {
      const c = counter(apiVersion.replace(/\W/g, '_'));
      const source = execCredentials(config({ counter: c, apiVersion }), {});
      expect(await source.get()).toEqual({ authorization: 'Bearer tok-1-arg1' });
    },
  );

  it('caches the credential until expirationTimestamp, then runs the plugin again', async () => {
    const c = counter('expiry');
    let now = Date.now();
    const cfg = config({
      counter: c,
      env: [...config({ counter: c }).env, { name: 'EXPIRES_BASE', value: String(now) }],
    });
    const source = execCredentials(cfg, {}, { now: () => now });
    expect(await source.get()).toEqual({ authorization: 'Bearer tok-1-arg1' });
    expect(await source.get()).toEqual({ authorization: 'Bearer tok-1-arg1' });
    expect(runs(c)).toBe(1);
    now += 59_000;
    expect(await source.get()).toEqual({ authorization: 'Bearer tok-1-arg1' });
    now += 2_000;
    expect(await source.get()).toEqual({ authorization: 'Bearer tok-2-arg1' });
    expect(runs(c)).toBe(2);
  });

  it('concurrent requests share one plugin run', async () => {
    const c = counter('concurrent');
    const source = execCredentials(config({ counter: c }), {});
    await Promise.all([source.get(), source.get(), source.get()]);
    expect(runs(c)).toBe(1);
  });

  it('invalidate() after a 401 makes the next get() run the plugin again', async () => {
    const c = counter('invalidate');
    const source = execCredentials(config({ counter: c }), {});
    const rejected = await source.get();
    expect(source.invalidate(rejected)).toBe(true);
    expect(await source.get()).toEqual({ authorization: 'Bearer tok-2-arg1' });
  });

  it('a burst of 401s on one credential re-runs the plugin once; the others retry with its answer', async () => {
    const c = counter('burst');
    const source = execCredentials(config({ counter: c }), {});
    const rejected = await source.get();
    expect([source.invalidate(rejected), source.invalidate(rejected), source.invalidate(rejected)]).toEqual([
      true,
      true,
      true,
    ]);
    const retried = await Promise.all([source.get(), source.get(), source.get()]);
    expect(retried.map((r) => r.authorization)).toEqual(Array(3).fill('Bearer tok-2-arg1'));
    // A 401 that arrives late for the old credential does not throw away the new one.
    expect(source.invalidate(rejected)).toBe(true);
    expect((await source.get()).authorization).toBe('Bearer tok-2-arg1');
    expect(runs(c)).toBe(2);
  });

  it('a fresh credential rejected again is not re-fetched before refreshIntervalMs (no 401 loop)', async () => {
    const c = counter('loop');
    let clock = 1_000_000;
    const source = execCredentials(
      config({ counter: c }),
      {},
      { refreshIntervalMs: 10_000, now: () => clock },
    );
    expect(source.invalidate(await source.get())).toBe(true);
    const second = await source.get();
    clock += 2_000;
    expect(source.invalidate(second)).toBe(false); // the 401 goes to the user as it is
    expect(await source.get()).toEqual(second);
    clock += 8_000;
    expect(source.invalidate(second)).toBe(true); // after the interval, a new login may have happened
    expect((await source.get()).authorization).toBe('Bearer tok-3-arg1');
    expect(runs(c)).toBe(3);
  });

  it('resolves a relative command with a slash against the kubeconfig directory (KC-03)', async () => {
    const c = counter('relative');
    const source = execCredentials(config({ counter: c, command: './bin/token-plugin' }), {});
    expect(await source.get()).toEqual({ authorization: 'Bearer tok-1-arg1' });
  });

  it('shows the installHint when the command is missing', async () => {
    const source = execCredentials(
      config({
        counter: counter('missing'),
        command: 'kubeglass-no-such-plugin',
        installHint: 'brew install it',
      }),
      {},
    );
    await expect(source.get()).rejects.toThrow(/"kubeglass-no-such-plugin" was not found\nbrew install it/);
  });

  it('reports a failing plugin with its exit code and stderr', async () => {
    const failing = tmp.script('bin/fail', `process.stderr.write('login required'); process.exit(3);`);
    const source = execCredentials(config({ counter: counter('fail'), command: failing }), {});
    await expect(source.get()).rejects.toThrow(/exited with 3: login required/);
  });

  it('kills a hanging plugin after the timeout', async () => {
    const hanging = tmp.script('bin/hang', 'setInterval(() => {}, 1000);');
    const source = execCredentials(
      config({ counter: counter('hang'), command: hanging }),
      {},
      { timeoutMs: 300 },
    );
    await expect(source.get()).rejects.toThrow(/timed out after 300 ms/);
  });

  it('dispose() kills a running plugin at once and refuses to start another', async () => {
    const pidFile = tmp.write('counters/hang-pid', '');
    const hanging = tmp.script(
      'bin/hang-pid',
      `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`,
    );
    const source = execCredentials(
      config({ counter: counter('hang-dispose'), command: hanging }),
      {},
      { timeoutMs: 60_000 },
    );
    const pending = source.get();
    const pid = await waitForPid(pidFile);
    source.dispose?.();
    await expect(pending).rejects.toThrow(/was stopped: kubeglass is shutting down/);
    await expectGone(pid);
    const c = counter('after-dispose');
    const fresh = execCredentials(config({ counter: c }), {});
    fresh.dispose?.();
    await expect(fresh.get()).rejects.toThrow(/was stopped/);
    expect(runs(c)).toBe(0);
  });

  it.each([
    ['not JSON', 'process.stdout.write("hello")', /not JSON/],
    ['wrong kind', 'process.stdout.write(JSON.stringify({kind:"Pod"}))', /did not print an ExecCredential/],
    [
      'wrong apiVersion',
      `process.stdout.write(JSON.stringify({kind:"ExecCredential",apiVersion:"${V1B1}",status:{token:"t"}}))`,
      /answered apiVersion .*v1beta1, expected .*\/v1$/,
    ],
    [
      'no credential',
      `process.stdout.write(JSON.stringify({kind:"ExecCredential",apiVersion:"${V1}",status:{}}))`,
      /neither a token nor a client certificate/,
    ],
    [
      'bad expiry',
      `process.stdout.write(JSON.stringify({kind:"ExecCredential",apiVersion:"${V1}",status:{token:"t",expirationTimestamp:"soon"}}))`,
      /bad expirationTimestamp/,
    ],
  ])('rejects garbage output: %s', async (name, body, message) => {
    const script = tmp.script(`bin/garbage-${name.replace(/\W/g, '_')}`, body);
    const source = execCredentials(config({ counter: counter(`g-${name}`), command: script }), {});
    await expect(source.get()).rejects.toThrow(message);
  });

  it('returns a client certificate when the plugin prints one', async () => {
    const script = tmp.script(
      'bin/cert',
      `process.stdout.write(JSON.stringify({kind:"ExecCredential",apiVersion:"${V1}",status:{clientCertificateData:"CERT",clientKeyData:"KEY"}}))`,
    );
    const source = execCredentials(config({ counter: counter('cert'), command: script }), {});
    expect(await source.get()).toEqual({ cert: 'CERT', key: 'KEY' });
  });
});

describe('parseExecConfig', () => {
  it('validates fields', () => {
    expect(() => parseExecConfig({ apiVersion: V1 }, '/')).toThrow(/command is required/);
    expect(() => parseExecConfig({ apiVersion: V1, command: 'x', args: [1] }, '/')).toThrow(/args/);
    expect(() => parseExecConfig({ apiVersion: V1, command: 'x', env: [{ name: 'a' }] }, '/')).toThrow(/env/);
    expect(parseExecConfig({ apiVersion: V1B1, command: 'x', installHint: 'h' }, '/d')).toEqual({
      apiVersion: V1B1,
      command: 'x',
      args: [],
      env: [],
      dir: '/d',
      installHint: 'h',
    });
  });
});
