// The repository's vitest config does not include bench/**; this one runs the client benchmark's
// own unit tests (bench/browser and the bench/support helpers):
// `npx vitest run --config bench/browser/vitest.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['browser/**/*.test.ts', 'support/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
