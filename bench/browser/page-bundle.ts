// Builds the in-page bench (entry.ts and the real src/kube + src/persist modules it imports) with
// esbuild into a fresh temporary directory holding bench.html and bench.js, to be served as the
// proxy's staticRoot so the page is same-origin with /clusters/<context>/.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const BENCH_PAGE = 'bench.html';
const SCRIPT = 'bench.js';
/**
 * The app's persistence worker (src/persist/worker/informer-persistence-worker.ts), bundled on its
 * own as Vite does for the app, so the page's warm-start and persist figures take the app's path.
 */
export const PERSISTENCE_WORKER_SCRIPT = 'persistence-worker.js';

// An external module script: the proxy's CSP allows same-origin scripts, not inline ones.
const HTML = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>kubeglass client bench</title></head>
<body><p>kubeglass client bench</p><script type="module" src="/${SCRIPT}"></script></body>
</html>
`;

export interface PageBundle {
  dir: string;
  /** Bytes of the bundled script, for the log. */
  scriptBytes: number;
  dispose(): Promise<void>;
}

export async function buildBenchPage(): Promise<PageBundle> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kubeglass-bench-page-'));
  try {
    const entry = fileURLToPath(new URL('./entry.ts', import.meta.url));
    const result = await build({
      entryPoints: [entry],
      outfile: path.join(dir, SCRIPT),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      // Production-like code, but readable names in a profile.
      minifySyntax: true,
      minifyWhitespace: true,
      define: { 'process.env.NODE_ENV': '"production"' },
      metafile: true,
      logLevel: 'silent',
    });
    const worker = await build({
      entryPoints: [
        fileURLToPath(new URL('../../src/persist/worker/informer-persistence-worker.ts', import.meta.url)),
      ],
      outfile: path.join(dir, PERSISTENCE_WORKER_SCRIPT),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      minifySyntax: true,
      minifyWhitespace: true,
      metafile: true,
      logLevel: 'silent',
    });
    await writeFile(path.join(dir, BENCH_PAGE), HTML);
    const scriptBytes = [result, worker]
      .flatMap((r) => Object.values(r.metafile.outputs))
      .reduce((n, o) => n + o.bytes, 0);
    return { dir, scriptBytes, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
