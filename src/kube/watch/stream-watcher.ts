// The Watch of src/kube/cache/lister-watcher.ts over an HTTP response body (apimachinery's
// StreamWatcher). One consumer: iterate it once. stop() aborts the request and ends iteration;
// no event is delivered after stop() returns (WS-09).

import type { KubeObject, WatchEvent } from '../api/types.ts';
import type { Watch } from '../cache/lister-watcher.ts';
import { decodeWatchStream } from './watch-decoder.ts';

export class StreamWatcher<T extends KubeObject = KubeObject> implements Watch<T> {
  readonly #body: ReadableStream<Uint8Array>;
  readonly #controller: AbortController;
  readonly #onDone: () => void;
  #iterated = false;

  /**
   * `controller` aborts the request the body belongs to; aborting it also stops this watch.
   * `onDone` runs once when the watch is over (stopped, or iteration ended), to release resources.
   */
  constructor(body: ReadableStream<Uint8Array>, controller: AbortController, onDone: () => void = () => {}) {
    this.#body = body;
    this.#controller = controller;
    let done = false;
    this.#onDone = () => {
      if (done) return;
      done = true;
      onDone();
    };
  }

  get stopped(): boolean {
    return this.#controller.signal.aborted;
  }

  stop(): void {
    if (this.#controller.signal.aborted) return;
    this.#controller.abort(new DOMException('watch stopped', 'AbortError'));
    if (!this.#iterated) this.#body.cancel().catch(() => {});
    this.#onDone();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    if (this.#iterated) throw new Error('StreamWatcher: a watch can be iterated only once');
    this.#iterated = true;
    const signal = this.#controller.signal;
    const inner = decodeWatchStream<T>(this.#body, signal);
    return {
      next: async () => {
        const r = await inner.next();
        // A stop() while next() was pending must not let the event through (WS-09).
        if (signal.aborted && !r.done) {
          await inner.return();
          return { done: true, value: undefined };
        }
        if (r.done) this.#onDone();
        return r;
      },
      return: async () => {
        this.stop();
        await inner.return();
        return { done: true, value: undefined };
      },
    };
  }
}

/** WS-10: a watch that is already over (connection failure at start). */
export function emptyWatch<T extends KubeObject = KubeObject>(): Watch<T> {
  return {
    stop() {},
    [Symbol.asyncIterator]: () => ({
      next: async () => ({ done: true, value: undefined }),
    }),
  };
}
