import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { ItemExponentialFailureRateLimiter } from './item-exponential-failure-rate-limiter.ts';
import { RateLimitingQueue } from './rate-limiting-queue.ts';

describe('RateLimitingQueue', () => {
  it('WQ-20: addRateLimited delays by the limiter and counts requeues', () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(10, 1000) });
    q.addRateLimited('a');
    expect(q.numRequeues('a')).toBe(1);
    clock.step(9);
    expect(q.len()).toBe(0);
    clock.step(1);
    expect(q.len()).toBe(1);
  });

  it('WQ-20: forget clears history but does not remove a queued item', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(10, 1000) });
    q.addRateLimited('a');
    q.addRateLimited('a'); // the limiter says 20 ms, but the item keeps its earlier 10 ms (WQ-10)
    clock.step(10);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
    expect(q.len()).toBe(1);
    expect((await q.get()).item).toBe('a');
  });

  it('WQ-21: a controller loop backs off failing items exponentially and forgets them on success', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue({ clock }); // defaultControllerRateLimiter (RL-05)
    let failuresLeft = 3;
    const attemptsAt: number[] = [];

    async function processNext(): Promise<void> {
      const { item, shutdown } = await q.get();
      if (shutdown) return;
      attemptsAt.push(clock.now());
      if (failuresLeft-- > 0) q.addRateLimited(item);
      else q.forget(item);
      q.done(item);
    }

    q.add('ns/pod');
    await processNext();
    for (const wait of [5, 10, 20]) {
      expect(q.len()).toBe(0);
      await clock.advance(wait);
      expect(q.len()).toBe(1);
      await processNext();
    }
    expect(attemptsAt).toEqual([0, 5, 15, 35]);
    expect(q.numRequeues('ns/pod')).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('WQ-20: addRateLimited after shutDown is ignored', () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue({ clock });
    q.shutDown();
    q.addRateLimited('a');
    clock.step(10_000);
    expect(q.len()).toBe(0);
    expect(q.waitingLen()).toBe(0);
  });
});
