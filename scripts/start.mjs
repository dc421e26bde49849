// `npm start`: build when dist/ is missing or older than any source file, then run the built
// proxy with this script's arguments (for example `npm start -- --port 8080 --no-open`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUTS = ['dist/proxy/main.js', 'dist/app/index.html'];
const SOURCES = ['src', 'proxy', 'index.html', 'package.json', 'vite.config.ts'];

/** Newest mtime below `path`, skipping test files (they are not part of the build). */
/** @param {string} path @returns {number} */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : st.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

const built = OUTPUTS.every((f) => existsSync(f)) ? Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs)) : 0;
if (built === 0 || SOURCES.some((s) => newest(s) > built)) {
  process.stderr.write('kubeglass: building (dist/ is missing or older than the sources)\n');
  const result = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const child = spawn(process.execPath, ['dist/proxy/main.js', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
  process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
