import { describe, expect, it } from 'vitest';
import { ContextProbeQueue } from './context-probe-queue.ts';

/** A task that resolves only when its `finish` is called, recording when it started. */
function deferredTask(started: string[], name: string) {
  let finish: () => void = () => {};
  const done = new Promise<string>((resolve) => {
    finish = () => resolve(name);
  });
  return {
    task: () => {
      started.push(name);
      return done;
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

describe('ContextProbeQueue', () => {
  it('runs at most `limit` probes at once, the rest in arrival order', async () => {
    const queue = new ContextProbeQueue(2);
    const started: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((n) => deferredTask(started, n));
    const results = tasks.map((t) => queue.run(t.task));
    await tick();
    expect(started).toEqual(['a', 'b']);
    expect(queue.active).toBe(2);
    expect(queue.waiting).toBe(2);
    tasks[1]?.finish();
    await tick();
    expect(started).toEqual(['a', 'b', 'c']);
    tasks[0]?.finish();
    tasks[2]?.finish();
    tasks[3]?.finish();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
    expect(queue.active).toBe(0);
  });

  it('frees the slot when a probe fails', async () => {
    const queue = new ContextProbeQueue(1);
    await expect(queue.run(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await queue.run(() => Promise.resolve('next'))).toBe('next');
  });

  it('drops a waiting probe whose signal aborts, without running it', async () => {
    const queue = new ContextProbeQueue(1);
    const started: string[] = [];
    const first = deferredTask(started, 'first');
    const running = queue.run(first.task);
    const abort = new AbortController();
    const skipped = queue.run(() => {
      started.push('skipped');
      return Promise.resolve('skipped');
    }, abort.signal);
    const after = queue.run(() => {
      started.push('after');
      return Promise.resolve('after');
    });
    abort.abort(new Error('scrolled away'));
    await expect(skipped).rejects.toThrow('scrolled away');
    expect(queue.waiting).toBe(1);
    first.finish();
    expect(await running).toBe('first');
    expect(await after).toBe('after');
    expect(started).toEqual(['first', 'after']);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const queue = new ContextProbeQueue(1);
    const abort = new AbortController();
    abort.abort(new Error('gone'));
    await expect(queue.run(() => Promise.resolve(1), abort.signal)).rejects.toThrow('gone');
    expect(queue.active).toBe(0);
  });

  it('refuses a limit below one', () => {
    expect(() => new ContextProbeQueue(0)).toThrow(RangeError);
  });

  it('never runs more than `limit` at once, whatever the interleaving of finishes and new probes', async () => {
    // A freed slot is handed straight to the next waiter; a probe submitted between a finish and the
    // waiter's wake-up must not slip into the same slot.
    const microtasks = async (n: number) => {
      for (let i = 0; i < n; i++) await Promise.resolve();
    };
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const queue = new ContextProbeQueue(3);
    let running = 0;
    let most = 0;
    const all: Promise<void>[] = [];
    const submit = (): void => {
      all.push(
        queue.run(async () => {
          running++;
          most = Math.max(most, running);
          await microtasks(random(6));
          running--;
        }),
      );
    };
    for (let i = 0; i < 200; i++) {
      submit();
      if (random(2) === 0) void microtasks(random(8)).then(submit);
      await microtasks(random(3));
    }
    while (all.length > 0) await all.shift();
    expect(most).toBe(3);
    expect(queue.active).toBe(0);
    expect(queue.waiting).toBe(0);
  });
});
