import { defineConfig } from 'vitest/config';

// One config for the app build (Vite) and for every unit/integration test (Vitest).
// JSX is compiled by esbuild's automatic runtime, so no React plugin is needed (and none is installed:
// @vitejs/plugin-react does not install with Vite 7 on npm 10 machines).
export default defineConfig({
  root: '.',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', strictPort: false },
  test: {
    // Tests sit beside the code they test. Node-only tests (the client-go port, the proxy, the
    // simulated cluster) run in Node; component tests (*.test.tsx) run in a DOM environment.
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'src/**/*.test.ts',
            'proxy/**/*.test.ts',
            'scripts/**/*.test.ts',
            'test/**/*.test.ts',
            'bench/**/*.test.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['src/**/*.test.tsx'],
          setupFiles: ['src/testing/dom-setup.ts'],
        },
      },
    ],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
