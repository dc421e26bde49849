// The driver's side of client-node-process.ts: client-node's informer in a child process, one
// command at a time over its stdin and stdout.
import { type Child, startChild } from './child.ts';
import { type LineReader, readLines } from './stdout-lines.ts';

/** V8 old-space limit of the client-node process (MiB), as generous as the simulator's: a baseline
 * squeezed by its heap limit would flatter us. */
const CLIENT_NODE_HEAP_MB = 8192;

export interface ClientNodeProcess {
  /** pid, for per-process CPU accounting. */
  readonly pid: number | undefined;
  /** ms from the informer's start until `expectedObjects` objects were added to its cache. */
  sync(expectedObjects: number, timeoutMs: number): Promise<number>;
  /** Count 'update' callbacks from now on. */
  armUpdates(expected: number): Promise<void>;
  /** Let the first watch start; resolves with the child's wall clock (Date.now()) at that moment. */
  openWatchGate(): Promise<number>;
  /** The child's wall clock (Date.now()) at the update that completed the armed count. */
  waitUpdates(timeoutMs: number): Promise<{ doneAt: number; updates: number }>;
  resourceVersionOf(namespace: string, name: string): Promise<string | undefined>;
  /** Stop the informer and end the process. */
  stop(): Promise<void>;
}

/** Slack on top of a command's own timeout for the answer to travel back. */
const ANSWER_SLACK_MS = 10_000;

export async function startClientNodeProcess(
  kubeconfig: string,
  context: string,
): Promise<ClientNodeProcess> {
  const child: Child = await startChild(
    process.execPath,
    [
      `--max-old-space-size=${CLIENT_NODE_HEAP_MB}`,
      '--import',
      'tsx',
      'bench/support/client-node-process.ts',
      '--kubeconfig',
      kubeconfig,
      '--context',
      context,
    ],
    { ready: (line) => line === 'client-node-ready', timeoutMs: 60_000 },
  );
  const stdout = child.process.stdout;
  const stdin = child.process.stdin;
  if (!stdout || !stdin) {
    await child.stop();
    throw new Error('the client-node process has no stdio pipes');
  }
  const lines: LineReader = readLines(stdout);
  // One command in flight: answers carry no id, so they are matched by order.
  let last: Promise<unknown> = Promise.resolve();
  const ask = (command: string, timeoutMs: number): Promise<string> => {
    const turn = last.then(async () => {
      const answer = lines.next((l) => /^(ok|error)( |$)/.test(l), timeoutMs + ANSWER_SLACK_MS);
      stdin.write(`${command}\n`);
      const line = await answer;
      if (line.startsWith('error')) throw new Error(`client-node: ${line.slice(6)}`);
      return line.slice(3);
    });
    last = turn.catch(() => undefined);
    return turn;
  };
  let stopped = false;
  return {
    pid: child.process.pid,
    sync: async (n, timeoutMs) => Number(await ask(`sync ${n} ${timeoutMs}`, timeoutMs)),
    armUpdates: async (n) => {
      await ask(`arm ${n}`, 10_000);
    },
    openWatchGate: async () => Number(await ask('open', 10_000)),
    waitUpdates: async (timeoutMs) => {
      const [doneAt, updates] = (await ask(`wait ${timeoutMs}`, timeoutMs)).split(' ').map(Number);
      return { doneAt: doneAt ?? Number.NaN, updates: updates ?? Number.NaN };
    },
    resourceVersionOf: async (namespace, name) => {
      const rv = await ask(`rv ${namespace} ${name}`, 10_000);
      return rv === '' ? undefined : rv;
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        await ask('stop', 10_000);
      } catch {
        // Already failing or gone: the process is ended below either way.
      } finally {
        lines.close();
        await child.stop();
      }
    },
  };
}
