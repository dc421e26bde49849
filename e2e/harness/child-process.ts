// Start a child process and wait (bounded) for the one stdout line that says it is ready.
// stderr is kept in memory for error messages; the process is stopped with a bounded wait.
import { type ChildProcess, spawn } from 'node:child_process';

export interface ReadyProcess {
  child: ChildProcess;
  /** The ready line's text after the prefix. */
  ready: string;
  stop(): Promise<void>;
}

export async function spawnUntilReady(
  command: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; readyPrefix: string; timeoutMs: number; name: string },
): Promise<ReadyProcess> {
  const child = spawn(command, args, { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  const ready = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      reject(new Error(`${opts.name} was not ready within ${opts.timeoutMs} ms\n${stderr}`));
    }, opts.timeoutMs);
    child.stdout?.on('data', (b: Buffer) => {
      buffered += b.toString();
      for (const line of buffered.split('\n')) {
        if (line.startsWith(opts.readyPrefix)) {
          clearTimeout(timer);
          resolve(line.slice(opts.readyPrefix.length).trim());
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${opts.name} exited with ${code} before it was ready\n${stderr}`));
    });
  }).catch(async (err: unknown) => {
    await stop();
    throw err;
  });
  return { child, ready, stop };
}
