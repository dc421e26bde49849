import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { DelayingQueue, MAX_SCHEDULER_WAIT_MS } from './delaying-queue.ts';

describe('DelayingQueue', () => {
  it('WQ-10: addAfter adds the item once its delay has passed, not before', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue({ clock });
    q.addAfter('a', 50);
    expect(q.len()).toBe(0);
    expect(q.waitingLen()).toBe(1);
    clock.step(49);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.len()).toBe(1);
    expect(q.waitingLen()).toBe(0);
  });

  it('WQ-10: a delay of zero or less is a plain add', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue({ clock });
    q.addAfter('a', 0);
    q.addAfter('b', -5);
    expect(q.len()).toBe(2);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('WQ-10: an item already waiting keeps the earlier ready time', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 500); // later: never postpones
    clock.step(100);
    expect(q.len()).toBe(1);
    clock.step(1000);
    expect(q.len()).toBe(1);

    q.addAfter('b', 500);
    q.addAfter('b', 20); // earlier: wins
    clock.step(20);
    expect(q.len()).toBe(2);
  });

  it('WQ-11: ready items go through add(), so they are deduplicated with queued ones', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue({ clock });
    q.add('a');
    q.addAfter('a', 10);
    clock.step(10);
    expect(q.len()).toBe(1);
    expect((await q.get()).item).toBe('a');
  });

  it('WQ-11: items become ready in deadline order', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue({ clock });
    q.addAfter('late', 300);
    q.addAfter('early', 100);
    q.addAfter('middle', 200);
    clock.step(300);
    const out = [(await q.get()).item, (await q.get()).item, (await q.get()).item];
    expect(out).toEqual(['early', 'middle', 'late']);
  });

  it('WQ-11: the scheduler wakes at least every 10 s while items wait', () => {
    const clock = new FakeClock();
    const wakes: number[] = [];
    // A clock that records when the queue arms its timers.
    const spy = {
      now: () => clock.now(),
      sleep: clock.sleep.bind(clock),
      setTimer: (fn: () => void, ms: number) => {
        wakes.push(ms);
        return clock.setTimer(fn, ms);
      },
    };
    const q = new DelayingQueue({ clock: spy });
    q.addAfter('a', 25_000);
    clock.step(25_000);
    expect(q.len()).toBe(1);
    expect(wakes).toEqual([MAX_SCHEDULER_WAIT_MS, MAX_SCHEDULER_WAIT_MS, 5_000]);
  });

  it('BR-06: a timer that fires early is not trusted; the clock is re-read and the timer re-armed', () => {
    const clock = new FakeClock();
    const timers: Array<() => void> = [];
    // A clock whose timers fire only when the test calls them, at whatever time it is then.
    const manual = {
      now: () => clock.now(),
      sleep: clock.sleep.bind(clock),
      setTimer: (fn: () => void) => {
        timers.push(fn);
        return { cancel: () => {} };
      },
    };
    const q = new DelayingQueue({ clock: manual });
    q.addAfter('a', 1000);
    clock.step(400);
    timers.shift()?.(); // early wake-up
    expect(q.len()).toBe(0);
    expect(timers).toHaveLength(1); // re-armed
    clock.step(5000); // the tab slept: the wake-up comes very late
    timers.shift()?.();
    expect(q.len()).toBe(1);
    expect(timers).toHaveLength(0);
  });

  it('WQ-12: shutDown drops waiting items and stops the scheduler', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue({ clock });
    q.addAfter('a', 100);
    q.add('b');
    q.shutDown();
    expect(clock.pendingTimers()).toBe(0);
    clock.step(1000);
    expect(await q.get()).toEqual({ item: 'b', shutdown: false });
    expect(await q.get()).toEqual({ item: undefined, shutdown: true });
    q.addAfter('c', 10);
    q.addAfter('d', 0);
    expect(q.len()).toBe(0);
    expect(q.waitingLen()).toBe(0);
  });

  it('WQ-12/WQ-08: shutDownWithDrain drops waiting items and waits for processing', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue({ clock });
    q.add('a');
    await q.get();
    q.addAfter('b', 10);
    let drained = false;
    void q.shutDownWithDrain().then(() => {
      drained = true;
    });
    await clock.advance(100);
    expect(drained).toBe(false);
    expect(q.len()).toBe(0);
    q.done('a');
    await clock.advance(0);
    expect(drained).toBe(true);
  });

  it('rejects a delay that is not a finite number with a RangeError', () => {
    const q = new DelayingQueue({ clock: new FakeClock() });
    expect(() => q.addAfter('a', Number.NaN)).toThrow(RangeError);
    expect(() => q.addAfter('a', Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(q.waitingLen()).toBe(0);
  });

  it('WQ-11: only one timer is armed however many items wait', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue({ clock });
    for (let i = 0; i < 100; i++) q.addAfter(`k${i}`, 1000 - i);
    expect(clock.pendingTimers()).toBe(1);
    clock.step(950);
    expect(q.len()).toBe(50);
    expect(clock.pendingTimers()).toBe(1);
    clock.step(50);
    expect(q.len()).toBe(100);
    expect(clock.pendingTimers()).toBe(0);
  });
});
