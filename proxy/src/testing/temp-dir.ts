// Test-only: a temporary directory removed after the test file finishes.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempDir {
  path: string;
  /** Write a file (creating folders); returns its absolute path. */
  write(rel: string, text: string): string;
  /** Write an executable `#!/usr/bin/env node` script; returns its absolute path. */
  script(rel: string, body: string): string;
  remove(): void;
}

export function makeTempDir(prefix = 'kubeglass-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const write = (rel: string, text: string): string => {
    const file = join(path, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  return {
    path,
    write,
    script: (rel, body) => {
      const file = write(rel, `#!/usr/bin/env node\n${body}\n`);
      chmodSync(file, 0o755);
      return file;
    },
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
