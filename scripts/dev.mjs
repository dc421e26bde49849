// `npm run dev`: Vite's dev server and the proxy together, as one command.
// Vite serves the app on 127.0.0.1:5173 (HMR); the proxy runs from source (tsx) on 7400 with
// `--dev-upstream http://127.0.0.1:5173`, relaying app requests and the HMR WebSocket to Vite.
// The browser only ever talks to the proxy, so the session, Host/Origin checks and CSP are the
// same as in production. Open the URL the proxy prints. Extra arguments go to the proxy.
import { spawn } from 'node:child_process';

const VITE_PORT = '5173';
const children = [
  spawn(
    process.execPath,
    ['node_modules/vite/bin/vite.js', '--host', '127.0.0.1', '--port', VITE_PORT, '--strictPort'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  ),
  spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'proxy/src/main.ts',
      '--dev-upstream',
      `http://127.0.0.1:${VITE_PORT}`,
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  ),
];

let stopping = false;
/** @param {number} code */
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 3000).unref();
}
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
