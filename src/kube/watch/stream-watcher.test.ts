import { describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../api/types.ts';
import { emptyWatch, StreamWatcher } from './stream-watcher.ts';

const enc = new TextEncoder();
const ev = (name: string) =>
  enc.encode(`${JSON.stringify({ type: 'ADDED', object: { kind: 'Pod', metadata: { name } } })}\n`);

describe('StreamWatcher (Watch over a response body)', () => {
  it('WS-04: iterates events in order and ends at end of body', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(ev('a'));
        c.enqueue(ev('b'));
        c.close();
      },
    });
    const w = new StreamWatcher(body, new AbortController());
    const names: string[] = [];
    for await (const e of w) names.push((e.object as KubeObject).metadata?.name ?? '');
    expect(names).toEqual(['a', 'b']);
  });

  it('WS-09: stop() during a pending read ends iteration, aborts the request and delivers nothing after', async () => {
    let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controllerRef = c;
        c.enqueue(ev('a'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const ac = new AbortController();
    const w = new StreamWatcher(body, ac);
    const it = w[Symbol.asyncIterator]();
    const first = await it.next();
    expect(((first.value as WatchEvent).object as KubeObject).metadata?.name).toBe('a');
    const pending = it.next();
    w.stop();
    try {
      controllerRef?.enqueue(ev('late'));
    } catch {
      // the stream may already be cancelled
    }
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(ac.signal.aborted).toBe(true);
    expect(cancelled).toBe(true);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });

  it('stop() before iterating cancels the body; a watch iterates only once', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      cancel() {
        cancelled = true;
      },
    });
    const w = new StreamWatcher(body, new AbortController());
    w.stop();
    expect(cancelled).toBe(true);
    const w2 = new StreamWatcher(new ReadableStream(), new AbortController());
    w2[Symbol.asyncIterator]();
    expect(() => w2[Symbol.asyncIterator]()).toThrow(/only once/);
  });

  it('WS-10: emptyWatch is already over', async () => {
    const out: unknown[] = [];
    for await (const e of emptyWatch()) out.push(e);
    expect(out).toEqual([]);
  });
});

describe('StreamWatcher cleanup', () => {
  it('runs onDone once when the body ends, and once on stop()', async () => {
    let ended = 0;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(ev('a'));
        c.close();
      },
    });
    const w = new StreamWatcher(body, new AbortController(), () => ended++);
    for await (const _ of w) {
      // drain
    }
    w.stop();
    expect(ended).toBe(1);
    let stopped = 0;
    const w2 = new StreamWatcher(new ReadableStream(), new AbortController(), () => stopped++);
    w2.stop();
    w2.stop();
    expect(stopped).toBe(1);
  });
});
