// The repository's vitest config does not include bench/**; this one runs the ui benchmark's own
// unit tests: `npx vitest run --config bench/ui/vitest.config.ts`.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: { include: ['**/*.test.ts'], environment: 'node', testTimeout: 20_000 },
});
