import { afterEach, describe, expect, it } from 'vitest';
import { yieldToPage } from './yield-to-page.ts';

const g = globalThis as { scheduler?: unknown };
afterEach(() => {
  delete g.scheduler;
});

describe('yieldToPage', () => {
  it('resumes only after a macrotask boundary: a self-requeueing microtask chain finishes first (MessageChannel path)', async () => {
    delete g.scheduler;
    let n = 0;
    const spin = () => {
      if (++n < 1000) queueMicrotask(spin);
    };
    queueMicrotask(spin);
    await yieldToPage();
    // A microtask-based "yield" would resume in the middle of the chain (n ≈ 2).
    expect(n).toBe(1000);
  });

  it('uses scheduler.yield() where the platform has it', async () => {
    let calls = 0;
    g.scheduler = {
      yield: () => {
        calls++;
        return Promise.resolve();
      },
    };
    await yieldToPage();
    expect(calls).toBe(1);
  });
});
