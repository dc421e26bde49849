import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { ProcessorListener } from './processor-listener.ts';
import { determineResyncPeriod, SharedProcessor } from './shared-processor.ts';
import { flush } from './testing/flush.ts';
import { pod } from './testing/objects.ts';

describe('ProcessorListener / SharedProcessor', () => {
  it('SI-05: delivers in order, after the current synchronous step, with an unbounded buffer', async () => {
    const seen: string[] = [];
    const l = new ProcessorListener(
      { onAdd: (o) => void seen.push(o.metadata!.name!) },
      0,
      0,
      new FakeClock(),
      () => {},
    );
    for (let i = 0; i < 5000; i++)
      l.add({ type: 'add', obj: pod('a', `p${i}`, '1'), isInInitialList: false });
    expect(seen).toEqual([]); // nothing runs inside the caller's step
    expect(l.pending).toBe(5000);
    await flush();
    expect(seen).toHaveLength(5000);
    expect(seen[4999]).toBe('p4999');
  });

  it('SI-07: tracks initial-list adds until they are handled; SI-10: a stopped listener drops everything', async () => {
    const l = new ProcessorListener({}, 0, 0, new FakeClock(), () => {});
    l.add({ type: 'add', obj: pod('a', 'x', '1'), isInInitialList: true });
    expect(l.hasDeliveredInitialList()).toBe(false);
    await flush();
    expect(l.hasDeliveredInitialList()).toBe(true);
    l.stop();
    l.add({ type: 'add', obj: pod('a', 'y', '1'), isInInitialList: true });
    expect(l.pending).toBe(0);
    expect(l.hasDeliveredInitialList()).toBe(true);
  });

  it('SI-03/SI-04: sync notifications reach only the listeners marked due', async () => {
    const clock = new FakeClock();
    const p = new SharedProcessor();
    const got: string[] = [];
    const every = new ProcessorListener(
      { onUpdate: () => void got.push('every') },
      1000,
      1000,
      clock,
      () => {},
    );
    const never = new ProcessorListener({ onUpdate: () => void got.push('never') }, 0, 0, clock, () => {});
    p.add(every);
    p.add(never);
    expect(p.shouldResync(clock.now())).toBe(false);
    clock.step(1000);
    expect(p.shouldResync(clock.now())).toBe(true);
    p.distribute({ type: 'update', oldObj: pod('a', 'x', '1'), newObj: pod('a', 'x', '1') }, true);
    p.distribute({ type: 'update', oldObj: pod('a', 'x', '1'), newObj: pod('a', 'x', '2') }, false);
    await flush();
    expect(got.sort()).toEqual(['every', 'every', 'never']);
    expect(determineResyncPeriod(0, 1000)).toBe(0);
    expect(determineResyncPeriod(500, 0)).toBe(0);
    expect(determineResyncPeriod(500, 1000)).toBe(1000);
  });
});
