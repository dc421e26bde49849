import { describe, expect, it } from 'vitest';
import { parseMaxRss, runTimed } from './timed-command.ts';

describe('parseMaxRss', () => {
  it('reads the peak RSS of a GNU time -v report in bytes', () => {
    const report = [
      '\tCommand being timed: "kubectl get pods"',
      '\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:01.20',
      '\tMaximum resident set size (kbytes): 123456',
      '\tExit status: 0',
    ].join('\n');
    expect(parseMaxRss(report)).toBe(123456 * 1024);
  });

  it('is undefined when the report has no RSS line', () => {
    expect(parseMaxRss('kubectl: error: connection refused')).toBeUndefined();
  });
});

describe('runTimed', () => {
  it('counts stdout lines and reports the exit code', async () => {
    const r = await runTimed(process.execPath, ['-e', 'console.log("a\\nb\\nc"); process.exit(3)'], {
      timeoutMs: 10_000,
      measureRss: false,
    });
    expect(r.stdoutLines).toBe(3);
    expect(r.exitCode).toBe(3);
    expect(r.maxRssBytes).toBeUndefined();
    expect(r.wallMs).toBeGreaterThan(0);
  });

  it('kills a command that outlives its timeout', async () => {
    const r = await runTimed(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], {
      timeoutMs: 200,
      measureRss: false,
    });
    expect(r.exitCode).toBeNull();
  });
});
