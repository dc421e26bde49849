import { describe, expect, it } from 'vitest';
import { parseCliOptions, UsageError } from './cli-options.ts';

describe('parseCliOptions', () => {
  it('defaults to loopback port 7400 and opening the browser', () => {
    expect(parseCliOptions([])).toEqual({
      port: 7400,
      host: '127.0.0.1',
      hostExplicit: false,
      demo: false,
      open: true,
    });
  });

  it('reads every flag', () => {
    const o = parseCliOptions([
      '--port',
      '0',
      '--host',
      '0.0.0.0',
      '--kubeconfig',
      '/k',
      '--demo',
      '--no-open',
      '--dev-upstream',
      'http://127.0.0.1:5173',
    ]);
    expect(o).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      hostExplicit: true,
      kubeconfig: '/k',
      demo: true,
      open: false,
    });
    expect(o?.devUpstream?.href).toBe('http://127.0.0.1:5173/');
  });

  it('returns null for --help', () => {
    expect(parseCliOptions(['--help'])).toBeNull();
  });

  it.each([
    [['--port', 'x']],
    [['--port', '70000']],
    [['--bogus']],
    [['--host', '']],
    [['--dev-upstream', 'http://example.com:5173']],
    [['--dev-upstream', 'nope']],
    [['positional']],
  ])('rejects %j with a usage error', (argv) => {
    expect(() => parseCliOptions(argv)).toThrow(UsageError);
  });
});
