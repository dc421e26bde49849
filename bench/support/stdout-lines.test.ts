import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLines } from './stdout-lines.ts';

describe('readLines', () => {
  it('resolves with the first matching line, even when it arrives split over chunks', async () => {
    const stream = new PassThrough();
    const lines = readLines(stream);
    const answer = lines.next((l) => l.startsWith('burst-done'), 1_000);
    stream.write('progress 1\nburst-');
    stream.write('done 20\nlater\n');
    await expect(answer).resolves.toBe('burst-done 20');
    lines.close();
  });

  it('only sees lines completed after the waiter was registered', async () => {
    const stream = new PassThrough();
    const lines = readLines(stream);
    stream.write('last 1 a/b\n');
    await new Promise((r) => setImmediate(r));
    const answer = lines.next((l) => l.startsWith('last '), 1_000);
    stream.write('last 2 c/d\n');
    await expect(answer).resolves.toBe('last 2 c/d');
    lines.close();
  });

  it('rejects after its timeout', async () => {
    const lines = readLines(new PassThrough());
    await expect(lines.next(() => true, 20)).rejects.toThrow(/no matching line within 20 ms/);
    lines.close();
  });

  it('rejects pending waiters when the stream ends, and later calls at once', async () => {
    const stream = new PassThrough();
    const lines = readLines(stream);
    const pending = lines.next(() => false, 5_000);
    stream.end('partial');
    stream.resume();
    await expect(pending).rejects.toThrow(/stream ended/);
    await expect(lines.next(() => true, 1_000)).rejects.toThrow(/already ended/);
  });
});
