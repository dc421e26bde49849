import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BURST, QPS } from './pod-informer-run.ts';

/** The value of `const NAME = <number>;` in the app's composition root. */
function appConstant(name: string): number {
  const source = readFileSync(new URL('../../src/main.tsx', import.meta.url), 'utf8');
  const match = new RegExp(`^const ${name} = (\\d+(?:\\.\\d+)?);$`, 'm').exec(source);
  if (!match) throw new Error(`src/main.tsx declares no numeric const ${name}`);
  return Number(match[1]);
}

describe('the bench informer uses the app client settings (RC-03)', () => {
  it('QPS and burst equal the constants in src/main.tsx', () => {
    expect(QPS).toBe(appConstant('QPS'));
    expect(BURST).toBe(appConstant('BURST'));
  });
});
