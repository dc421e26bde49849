import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseCli } from './main.ts';

describe('parseCli', () => {
  it('applies the documented defaults', () => {
    expect(parseCli([])).toEqual({ port: 8443, host: '127.0.0.1', pods: 200, churn: 20, tls: true });
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
      ]),
    ).toEqual({
      port: 0,
      host: '::1',
      pods: 50,
      churn: 0,
      historyWindow: 1000,
      kubeconfigOut: '/tmp/x',
      tls: false,
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
});
