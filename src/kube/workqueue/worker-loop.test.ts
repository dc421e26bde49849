// WQ-05 end to end: async workers (BR-02) sharing one queue, with processing that awaits.
import { describe, expect, it } from 'vitest';
import { Queue } from './queue.ts';

describe('worker loop over Queue', () => {
  it('WQ-05: an item is never processed by two workers at once, and N adds during processing cause exactly one more run', async () => {
    const q = new Queue();
    const active = new Set<string>();
    const runs = new Map<string, number>();
    let overlaps = 0;
    // Each processing step waits on a gate the test opens, so adds land mid-processing.
    const gates: Array<() => void> = [];

    async function worker(): Promise<void> {
      for (;;) {
        const { item, shutdown } = await q.get();
        if (shutdown) return;
        if (active.has(item)) overlaps++;
        active.add(item);
        runs.set(item, (runs.get(item) ?? 0) + 1);
        await new Promise<void>((resolve) => gates.push(resolve));
        active.delete(item);
        q.done(item);
      }
    }

    const workers = [worker(), worker(), worker()];
    q.add('pod-a');
    await new Promise((r) => setTimeout(r, 0));
    expect(runs.get('pod-a')).toBe(1);
    // Ten adds while pod-a is being processed, with two idle workers that could take it.
    for (let i = 0; i < 10; i++) q.add('pod-a');
    await new Promise((r) => setTimeout(r, 0));
    expect(runs.get('pod-a')).toBe(1);
    expect(q.len()).toBe(0);

    // Finish the first run: exactly one more run starts.
    gates.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs.get('pod-a')).toBe(2);
    gates.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs.get('pod-a')).toBe(2);

    // Many items, many adds, with the gates released in a scrambled order: no overlap anywhere.
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    for (let round = 0; round < 50; round++) {
      q.add(keys[(round * 7) % keys.length] as string);
      q.add(keys[(round * 3) % keys.length] as string);
      if (round % 2 === 0) gates.splice(gates.length >> 1, 1)[0]?.();
      await Promise.resolve();
    }
    for (let guard = 0; guard < 1000 && (gates.length > 0 || q.len() > 0); guard++) {
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(overlaps).toBe(0);
    expect(active.size).toBe(0);
    q.shutDown();
    await Promise.all(workers);
  });
});
