// Bundle the proxy (proxy/src/main.ts and everything it imports, including the simulated
// cluster) into dist/proxy/main.js: one ESM file for Node 20. npm packages stay external and are
// resolved from node_modules at run time.
import { build } from 'esbuild';

await build({
  entryPoints: ['proxy/src/main.ts'],
  outfile: 'dist/proxy/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
process.stdout.write('built dist/proxy/main.js\n');
