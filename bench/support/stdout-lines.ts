// Line-by-line reading of a child's stdout after startChild() returned, for request/answer
// control channels such as sim-process.ts's "burst N" → "burst-done N".
import type { Readable } from 'node:stream';

export interface LineReader {
  /** The next line (from now on) that satisfies `match`; rejects after timeoutMs or when the stream ends. */
  next(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  close(): void;
}

interface Waiter {
  match: (line: string) => boolean;
  resolve: (line: string) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export function readLines(stream: Readable): LineReader {
  // Invariant: `tail` holds the bytes after the last newline seen; waiters only see lines that
  // complete after they were registered.
  let tail = '';
  let ended = false;
  const waiters = new Set<Waiter>();
  const onData = (chunk: Buffer | string) => {
    const lines = (tail + chunk.toString()).split('\n');
    tail = lines.pop() ?? '';
    for (const line of lines) {
      for (const w of waiters) {
        if (!w.match(line)) continue;
        waiters.delete(w);
        clearTimeout(w.timer);
        w.resolve(line);
      }
    }
  };
  const onEnd = () => {
    ended = true;
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('stream ended before the expected line'));
    }
    waiters.clear();
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  return {
    next(match, timeoutMs) {
      if (ended) return Promise.reject(new Error('stream already ended'));
      return new Promise<string>((resolve, reject) => {
        const waiter: Waiter = {
          match,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            reject(new Error(`no matching line within ${timeoutMs} ms`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    close() {
      stream.off('data', onData);
      stream.off('end', onEnd);
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.reject(new Error('line reader closed'));
      }
      waiters.clear();
    },
  };
}
