// Start a child process and wait for the first stdout line that satisfies `ready` (bounded).
import { type ChildProcess, spawn } from 'node:child_process';

export interface Child {
  process: ChildProcess;
  line: string;
  stop(): Promise<void>;
}

export function startChild(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; ready: (line: string) => boolean; timeoutMs?: number },
): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${command} ${args.join(' ')}: not ready after ${opts.timeoutMs ?? 120_000} ms\n${err}`),
      );
    }, opts.timeoutMs ?? 120_000);
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      for (const line of out.split('\n')) {
        if (opts.ready(line)) {
          clearTimeout(timer);
          resolve({ process: child, line, stop });
          return;
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready\n${err}`));
    });
  });
}
