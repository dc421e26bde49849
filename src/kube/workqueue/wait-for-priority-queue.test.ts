import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WaitForPriorityQueue } from './wait-for-priority-queue.ts';

describe('WaitForPriorityQueue', () => {
  it('WQ-11: pops in ready-time order, FIFO among equal times', () => {
    const h = new WaitForPriorityQueue<string>();
    h.schedule('c', 30);
    h.schedule('a', 10);
    h.schedule('b1', 20);
    h.schedule('b2', 20);
    expect([h.pop()?.item, h.pop()?.item, h.pop()?.item, h.pop()?.item, h.pop()]).toEqual([
      'a',
      'b1',
      'b2',
      'c',
      undefined,
    ]);
  });

  it('WQ-10: an earlier time moves an item forward; a later one is ignored', () => {
    const h = new WaitForPriorityQueue<string>();
    h.schedule('x', 100);
    h.schedule('y', 50);
    expect(h.schedule('x', 200)).toBe(false);
    expect(h.peek()?.item).toBe('y');
    expect(h.schedule('x', 10)).toBe(true);
    expect(h.size).toBe(2);
    expect(h.pop()).toMatchObject({ item: 'x', readyAt: 10 });
    expect(h.has('x')).toBe(false);
  });

  it('WQ-11: matches a sorted model under random schedules (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1000 }))),
        (ops) => {
          const h = new WaitForPriorityQueue<number>();
          const model = new Map<number, { readyAt: number; seq: number }>();
          let seq = 0;
          for (const [item, at] of ops) {
            h.schedule(item, at);
            const prev = model.get(item);
            if (!prev) model.set(item, { readyAt: at, seq: seq++ });
            else if (at < prev.readyAt) prev.readyAt = at;
          }
          const expected = [...model.entries()]
            .sort((a, b) => a[1].readyAt - b[1].readyAt || a[1].seq - b[1].seq)
            .map(([item]) => item);
          const actual: number[] = [];
          for (let e = h.pop(); e; e = h.pop()) actual.push(e.item);
          expect(actual).toEqual(expected);
        },
      ),
    );
  });
});
