import { describe, expect, it } from 'vitest';
import { Queue } from './queue.ts';

/** Let pending promise continuations run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('Queue', () => {
  it('WQ-01/WQ-03: hands items out first-in, first-out', async () => {
    const q = new Queue();
    q.add('a');
    q.add('b');
    q.add('c');
    expect((await q.get()).item).toBe('a');
    expect((await q.get()).item).toBe('b');
    expect((await q.get()).item).toBe('c');
  });

  it('WQ-02: adding an item that is already waiting does nothing', async () => {
    const q = new Queue();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect((await q.get()).item).toBe('a');
    expect((await q.get()).item).toBe('b');
    expect(q.len()).toBe(0);
  });

  it('WQ-02/WQ-04: an item added while processing is not queued until done, then queued once', async () => {
    const q = new Queue();
    q.add('a');
    const { item } = await q.get();
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0);
    q.done(item as string);
    expect(q.len()).toBe(1);
    expect((await q.get()).item).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('WQ-06: len() excludes items being processed', async () => {
    const q = new Queue();
    q.add('a');
    q.add('b');
    await q.get();
    expect(q.len()).toBe(1);
  });

  it('WQ-03: get() waits for an add and resolves with it', async () => {
    const q = new Queue();
    let got: string | undefined;
    void q.get().then((r) => {
      got = r.item;
    });
    await settle();
    expect(got).toBeUndefined();
    q.add('x');
    await settle();
    expect(got).toBe('x');
    // The handed-out item is being processed: another add waits for done().
    q.add('x');
    expect(q.len()).toBe(0);
  });

  it('WQ-03: waiting get() calls are served in the order they were made', async () => {
    const q = new Queue();
    const order: string[] = [];
    void q.get().then((r) => order.push(`first:${r.item}`));
    void q.get().then((r) => order.push(`second:${r.item}`));
    q.add('a');
    q.add('b');
    await settle();
    expect(order).toEqual(['first:a', 'second:b']);
  });

  it('WQ-07: shutDown wakes every waiter with shutdown:true and ignores later adds', async () => {
    const q = new Queue();
    const results = [q.get(), q.get()];
    q.shutDown();
    expect(await Promise.all(results)).toEqual([
      { item: undefined, shutdown: true },
      { item: undefined, shutdown: true },
    ]);
    q.add('late');
    expect(q.len()).toBe(0);
    expect(q.shuttingDown()).toBe(true);
    q.shutDown(); // idempotent
    expect(await q.get()).toEqual({ item: undefined, shutdown: true });
  });

  it('WQ-07: after shutDown workers still drain queued items before seeing shutdown', async () => {
    const q = new Queue();
    q.add('a');
    q.add('b');
    q.shutDown();
    expect(await q.get()).toEqual({ item: 'a', shutdown: false });
    expect(await q.get()).toEqual({ item: 'b', shutdown: false });
    expect(await q.get()).toEqual({ item: undefined, shutdown: true });
  });

  it('WQ-08: shutDownWithDrain resolves only once every handed-out item is done', async () => {
    const q = new Queue();
    q.add('a');
    q.add('b');
    await q.get();
    await q.get();
    let drained = false;
    void q.shutDownWithDrain().then(() => {
      drained = true;
    });
    await settle();
    expect(drained).toBe(false);
    expect(q.shuttingDown()).toBe(true);
    q.done('a');
    await settle();
    expect(drained).toBe(false);
    q.done('b');
    await settle();
    expect(drained).toBe(true);
  });

  it('WQ-08: shutDownWithDrain with nothing processing resolves at once', async () => {
    const q = new Queue();
    await expect(q.shutDownWithDrain()).resolves.toBeUndefined();
  });

  it('WQ-08: a later shutDown() stops the drain wait', async () => {
    const q = new Queue();
    q.add('a');
    await q.get();
    let drained = false;
    void q.shutDownWithDrain().then(() => {
      drained = true;
    });
    await settle();
    expect(drained).toBe(false);
    q.shutDown();
    await settle();
    expect(drained).toBe(true);
  });

  it('WQ-04: done() for an item that is not processing is a no-op', async () => {
    const q = new Queue();
    q.add('a');
    q.done('a');
    q.done('zzz');
    expect(q.len()).toBe(1);
    expect((await q.get()).item).toBe('a');
  });

  it('WQ-01: keeps FIFO order across internal compaction of long queues', async () => {
    const q = new Queue<number>();
    for (let i = 0; i < 5000; i++) q.add(i);
    for (let i = 0; i < 3000; i++) {
      const { item } = await q.get();
      expect(item).toBe(i);
      q.done(i);
    }
    for (let i = 5000; i < 5100; i++) q.add(i);
    expect(q.len()).toBe(2100);
    const rest: number[] = [];
    while (q.len() > 0) rest.push((await q.get()).item as number);
    expect(rest).toEqual(Array.from({ length: 2100 }, (_, i) => i + 3000));
  });
});
