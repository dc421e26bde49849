// The bench proxy (bench-proxy.ts) as a process of its own, as the proxy runs in real use: a
// browser page's proxy must not share its event loop and heap with a baseline client measured in
// the bench process (client-node's informer holds 50,000 typed pods there, and its garbage made
// the proxy's collections slower in the rounds that followed it).
//
//   node --import tsx bench/support/proxy-process.ts --kubeconfig K --static DIR --secret S
//
// Prints one JSON line {"origin": "http://127.0.0.1:PORT"} when it listens; exits on SIGTERM,
// SIGINT or when stdin closes (the bench process went away).
import { parseArgs } from 'node:util';
import { startBenchProxy } from './bench-proxy.ts';

const { values } = parseArgs({
  options: {
    kubeconfig: { type: 'string' },
    static: { type: 'string' },
    secret: { type: 'string' },
  },
});
if (!values.kubeconfig || !values.static || !values.secret) {
  process.stderr.write('usage: proxy-process.ts --kubeconfig K --static DIR --secret S\n');
  process.exit(2);
}
const proxy = await startBenchProxy({
  kubeconfig: values.kubeconfig,
  staticRoot: values.static,
  secret: values.secret,
});
process.stdout.write(`${JSON.stringify({ origin: proxy.origin })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  const forced = setTimeout(() => process.exit(1), 5_000);
  forced.unref();
  void proxy.close().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
