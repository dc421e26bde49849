// client-node's informer (client-node-informer.ts) as a process of its own, driven over stdin, so
// that the baseline client shares neither its event loop nor its heap with the bench process. In
// the bench process its typed pods outlived their rounds: during our watch pass (client-node
// stopped) the bench process still used 1.9 s of CPU, on the two cores our page needed. Each
// round now gets a fresh process, as each run of a real client-node program would, and leaves
// nothing behind when it exits.
//
//   node --import tsx bench/support/client-node-process.ts --kubeconfig K --context C
//
// Prints "client-node-ready", then answers one command per line, in order:
//   sync N TIMEOUT_MS   → "ok MS"                (time until N objects were added)
//   arm N               → "ok"                   (count the next N updates)
//   open                → "ok OPENED_AT"         (let the first watch go; wall clock ms)
//   wait TIMEOUT_MS     → "ok DONE_AT UPDATES"   (the armed count reached; wall clock ms)
//   rv NAMESPACE NAME   → "ok RV" ("ok" alone when the object is not in the cache)
//   stop                → "ok", then exits
// A failed command answers "error MESSAGE" (one line). Exits when stdin closes.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { clientNodePodInformer } from './client-node-informer.ts';

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, context: { type: 'string' } } });
if (!values.kubeconfig || !values.context) {
  process.stderr.write('usage: client-node-process.ts --kubeconfig K --context C\n');
  process.exit(2);
}
const informer = clientNodePodInformer(values.kubeconfig, values.context);

const answer = (line: string) => process.stdout.write(`${line.replace(/\n/g, ' ')}\n`);

/** A positive integer argument, or a clear error. */
function count(text: string | undefined, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive integer, got "${text}"`);
  return n;
}

async function run(line: string): Promise<string> {
  const [command, ...args] = line.trim().split(/\s+/);
  switch (command) {
    case 'sync':
      return `ok ${await informer.sync(count(args[0], 'N'), count(args[1], 'TIMEOUT_MS'))}`;
    case 'arm':
      informer.armUpdates(count(args[0], 'N'));
      return 'ok';
    case 'open':
      return `ok ${informer.openWatchGate()}`;
    case 'wait': {
      const r = await informer.waitUpdates(count(args[0], 'TIMEOUT_MS'));
      return `ok ${r.doneAt} ${r.updates}`;
    }
    case 'rv': {
      const rv = informer.resourceVersionOf(args[0] ?? '', args[1] ?? '');
      return rv === undefined ? 'ok' : `ok ${rv}`;
    }
    case 'stop':
      await informer.stop();
      return 'ok';
    default:
      throw new Error(`unknown command "${command}"`);
  }
}

// Commands run one after another: each answer is written before the next command is read.
const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', (line) => {
  queue = queue.then(async () => {
    try {
      answer(await run(line));
      if (line.trim() === 'stop') process.exit(0);
    } catch (err) {
      answer(`error ${err instanceof Error ? err.message : String(err)}`);
    }
  });
});
lines.on('close', () => process.exit(0));
answer('client-node-ready');
