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
    await writeFile(path.join(dir, BENCH_PAGE), HTML);
    const scriptBytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
    return { dir, scriptBytes, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
