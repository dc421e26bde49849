import { describe, expect, it } from 'vitest';
import { type ChangeBatch, ChangeBatcher, defaultFlushScheduler } from './change-batcher.ts';

function manual() {
  const pending: (() => void)[] = [];
  return { schedule: (f: () => void) => void pending.push(f), pending };
}

describe('ChangeBatcher', () => {
  it('coalesces changes into one batch per flush, with each key once', () => {
    const s = manual();
    const warnings: string[] = [];
    const b = new ChangeBatcher(
      s.schedule,
      () => true,
      (m) => warnings.push(m),
    );
    const batches: ChangeBatch[] = [];
    b.subscribe((batch) => batches.push(batch));
    b.subscribe(() => {
      throw new Error('view bug');
    });
    for (let i = 0; i < 1000; i++) b.changed(`k${i % 3}`);
    expect(s.pending).toHaveLength(1);
    s.pending.shift()!();
    expect(batches).toHaveLength(1);
    expect(Array.from(batches[0]!.keys).sort()).toEqual(['k0', 'k1', 'k2']);
    expect(warnings).toEqual(['a change listener threw']);
    b.changed('k9');
    s.pending.shift()!();
    expect(Array.from(batches[1]!.keys)).toEqual(['k9']);
  });

  it('reports a sync change without keys, and nothing when nothing changed', () => {
    const s = manual();
    let synced = false;
    const b = new ChangeBatcher(
      s.schedule,
      () => synced,
      () => {},
    );
    const batches: ChangeBatch[] = [];
    b.subscribe((batch) => batches.push(batch));
    b.poke();
    s.pending.shift()!();
    expect(batches).toEqual([]);
    synced = true;
    b.poke();
    s.pending.shift()!();
    expect(batches).toEqual([{ keys: new Set(), synced: true }]);
  });

  it('does not accumulate keys while nobody listens', () => {
    const s = manual();
    const b = new ChangeBatcher(
      s.schedule,
      () => false,
      () => {},
    );
    for (let i = 0; i < 10; i++) b.changed(`k${i}`);
    expect(s.pending).toHaveLength(0);
    const batches: ChangeBatch[] = [];
    const off = b.subscribe((batch) => batches.push(batch));
    b.changed('only');
    s.pending.shift()!();
    expect(Array.from(batches[0]!.keys)).toEqual(['only']);
    off();
    expect(b.size).toBe(0);
  });

  it('the default scheduler flushes after the microtasks of the current turn', async () => {
    const order: string[] = [];
    defaultFlushScheduler(() => order.push('flush'));
    queueMicrotask(() => order.push('microtask'));
    await Promise.resolve();
    expect(order).toEqual(['microtask']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual(['microtask', 'flush']);
  });
});
