import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCli, READY_PREFIX } from './main.ts';

describe('parseCli', () => {
  it('applies the documented defaults', () => {
    expect(parseCli([])).toEqual({
      port: 8443,
      host: '127.0.0.1',
      pods: 200,
      churn: 20,
      tls: true,
      control: false,
    });
  });

  it('reads every flag', () => {
    expect(
      parseCli([
        '--port',
        '0',
        '--host',
        '::1',
        '--pods',
        '50',
        '--churn',
        '0',
        '--history-window',
        '1000',
        '--kubeconfig-out',
        '/tmp/x',
        '--no-tls',
        '--namespaces',
        '20',
        '--restore',
        '/tmp/snap.json',
        '--control',
      ]),
    ).toEqual({
      port: 0,
      host: '::1',
      pods: 50,
      churn: 0,
      historyWindow: 1000,
      kubeconfigOut: '/tmp/x',
      tls: false,
      namespaces: 20,
      restore: '/tmp/snap.json',
      control: true,
    });
  });

  it('returns null for --help', () => {
    expect(parseCli(['--help'])).toBeNull();
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number/],
    [['--port', '70000'], /--port must be between 0 and 65535/],
    [['--pods=-1'], /--pods must be a whole number/],
    [['--churn', '1.5'], /--churn must be a whole number/],
    [['--history-window', '0'], /--history-window must be between/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /positional/],
    [['--kubeconfig-out', ''], /--kubeconfig-out must not be empty/],
    [['--namespaces', 'x'], /--namespaces must be a whole number/],
    [['--restore', ' '], /--restore must not be empty/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });
});

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'proxy/sim/node/main.ts', ...args],
      { timeout: 15_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('the sim CLI', () => {
  it('exits 2 with a one-line message and the usage for a bad flag (no stack trace)', async () => {
    const { code, stdout, stderr } = await runCli(['--pods', 'many']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^kubeglass-sim: --pods must be a whole number, got "many"\nusage:/);
    expect(stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const blocker = net.createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const { code, stdout, stderr } = await runCli(['--port', String(port), '--pods', '0', '--churn', '0']);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe(`kubeglass-sim: port ${port} on 127.0.0.1 is already in use\n`);
    } finally {
      blocker.close();
    }
  });

  it('prints exactly one ready line, writes the kubeconfig and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'proxy/sim/node/main.ts',
        '--port',
        '0',
        '--pods',
        '20',
        '--kubeconfig-out',
        kubeconfig,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await expect.poll(() => stdout, { timeout: 10_000 }).toContain('\n');
      expect(stdout).toMatch(
        new RegExp(
          `^${READY_PREFIX} https://127\\.0\\.0\\.1:\\d+ kubeconfig=${kubeconfig.replace(/[.]/g, '\\.')}\n$`,
        ),
      );
      expect(existsSync(kubeconfig)).toBe(true);
      expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
    } finally {
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
