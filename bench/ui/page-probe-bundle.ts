// Bundles page-probe.ts into one self-contained script (esbuild, in memory) that defines
// globalThis.__kubeglassUiProbe when evaluated in the page. Bundling rather than passing a function
// to page.evaluate keeps the probe typed and immune to helper code a TS loader may inject.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const PROBE_GLOBAL = '__kubeglassUiProbe';

export async function bundleUiProbe(): Promise<string> {
  const probe = fileURLToPath(new URL('./page-probe.ts', import.meta.url));
  const result = await build({
    stdin: {
      contents: `import { createUiProbe } from ${JSON.stringify(probe)};\nglobalThis.${PROBE_GLOBAL} = createUiProbe(document);\n`,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2022',
    platform: 'browser',
    logLevel: 'silent',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output for the ui probe');
  return out.text;
}
