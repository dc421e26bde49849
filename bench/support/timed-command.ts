// Runs a command to completion and reports its wall time and, when /usr/bin/time is available,
// its maximum resident set size (GNU time -v). Output is discarded except for counting lines.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const GNU_TIME = '/usr/bin/time';

export interface TimedCommandResult {
  wallMs: number;
  exitCode: number | null;
  /** Lines the command wrote to stdout. */
  stdoutLines: number;
  /** Peak RSS in bytes, when measured. */
  maxRssBytes: number | undefined;
  stderrTail: string;
}

/** Peak RSS from GNU time -v's report ("Maximum resident set size (kbytes): N"), in bytes. */
export function parseMaxRss(timeReport: string): number | undefined {
  const m = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(timeReport);
  return m ? Number(m[1]) * 1024 : undefined;
}

export function runTimed(
  command: string,
  args: string[],
  opts: { timeoutMs: number; measureRss: boolean },
): Promise<TimedCommandResult> {
  const wrap = opts.measureRss && existsSync(GNU_TIME);
  const [bin, argv] = wrap ? [GNU_TIME, ['-v', command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      for (let i = c.indexOf(10); i >= 0; i = c.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (c: Buffer) => {
      // Bounded: GNU time's report comes last, so the tail is what matters.
      stderr = (stderr + c.toString()).slice(-16_384);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({
        wallMs: performance.now() - started,
        exitCode: code,
        stdoutLines: lines,
        maxRssBytes: wrap ? parseMaxRss(stderr) : undefined,
        stderrTail: stderr.slice(-2000),
      });
    });
  });
}
