// The watch-body fault switches (FaultInjector.watchBody) on a synthetic source: what bytes a
// client receives under each one (WS-03, WS-05, WS-06, WS-07, BR-07), and that every switch is
// one-shot where documented and off after reset().
import { describe, expect, it } from 'vitest';
import { FaultInjector, splitUtf8 } from './faults.ts';

const LINE_A = '{"type":"ADDED","object":{"metadata":{"name":"a","labels":{"x":"grüße-€-𝄞"}}}}\n';
const LINE_B = '{"type":"MODIFIED","object":{"metadata":{"name":"b"}}}\n';

async function* source(chunks: string[], onReturn?: () => void): AsyncGenerator<string> {
  try {
    for (const c of chunks) yield c;
  } finally {
    onReturn?.();
  }
}

/** Every piece the body yields, as bytes, with a bound so a hanging body fails the test. */
async function collect(body: AsyncIterable<string | Uint8Array>, timeoutMs = 1000): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const it = body[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error('body did not end in time');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const next = await Promise.race([
      it.next(),
      new Promise<'timeout'>((r) => {
        timer = setTimeout(() => r('timeout'), left);
      }),
    ]);
    clearTimeout(timer);
    if (next === 'timeout') throw new Error('body did not end in time');
    if (next.done) return out;
    out.push(typeof next.value === 'string' ? new TextEncoder().encode(next.value) : next.value);
  }
}

const text = (pieces: Uint8Array[]) => new TextDecoder().decode(Buffer.concat(pieces));

describe('splitUtf8', () => {
  it('WS-03: cuts inside every multi-byte character and keeps every byte in order', () => {
    const bytes = new TextEncoder().encode(LINE_A);
    const pieces = splitUtf8(bytes, 16);
    expect(Buffer.concat(pieces).equals(Buffer.from(bytes))).toBe(true);
    expect(pieces.every((p) => p.length >= 1 && p.length <= 16)).toBe(true);
    // Every piece that ends on a lead byte leaves the rest of its character to the next piece.
    const cutInside = pieces.filter((p) => ((p[p.length - 1] as number) & 0xc0) === 0xc0).length;
    expect(cutInside).toBe(4); // ü, ß, €, 𝄞
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(pieces[0])).not.toThrow();
  });
});

describe('FaultInjector.watchBody', () => {
  const injector = () => new FaultInjector(() => Date.now());

  it('passes chunks through unchanged when no switch is on', async () => {
    const f = injector();
    expect(text(await collect(f.watchBody(source([LINE_A, LINE_B]), new AbortController().signal)))).toBe(
      LINE_A + LINE_B,
    );
  });

  it('WS-03: watchSplitBytes sends small byte pieces that decode to the same stream', async () => {
    const f = injector();
    f.watchSplitBytes = 7;
    const pieces = await collect(f.watchBody(source([LINE_A + LINE_B]), new AbortController().signal));
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.some((p) => ((p[p.length - 1] as number) & 0xc0) === 0xc0)).toBe(true);
    expect(text(pieces)).toBe(LINE_A + LINE_B);
  });

  it('WS-05: corruptWatchLines replaces the first line of the next chunk only', async () => {
    const f = injector();
    f.corruptWatchLines = 1;
    const out = text(
      await collect(f.watchBody(source([LINE_A + LINE_B, LINE_A]), new AbortController().signal)),
    );
    const lines = out.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(3);
    expect(() => JSON.parse(lines[0] as string)).toThrow();
    expect(JSON.parse(lines[1] as string).object.metadata.name).toBe('b');
    expect(JSON.parse(lines[2] as string).object.metadata.name).toBe('a');
    expect(f.corruptWatchLines).toBe(0);
  });

  it('WS-07: watchErrorEvents sends one ERROR with an unexpected Status, then ends and closes the source', async () => {
    const f = injector();
    f.watchErrorEvents = 1;
    let closed = false;
    const out = text(
      await collect(
        f.watchBody(
          source([LINE_A, LINE_B], () => (closed = true)),
          new AbortController().signal,
        ),
      ),
    );
    const event = JSON.parse(out) as { type: string; object: { kind: string; code: number; reason: string } };
    expect(event.type).toBe('ERROR');
    expect(event.object).toMatchObject({ kind: 'Status', code: 599, reason: 'InjectedUnexpected' });
    expect(closed).toBe(true);
    expect(f.watchErrorEvents).toBe(0);
  });

  it('WS-06: truncateWatches ends the body inside its first line', async () => {
    const f = injector();
    f.truncateWatches = 1;
    const out = text(await collect(f.watchBody(source([LINE_A + LINE_B]), new AbortController().signal)));
    expect(out.length).toBeGreaterThan(0);
    expect(LINE_A.startsWith(out)).toBe(true);
    expect(out.includes('\n')).toBe(false);
  });

  it('BR-07: silenceWatches sends nothing, even when the source ends, until the client aborts', async () => {
    const f = injector();
    f.silenceWatches = true;
    const abort = new AbortController();
    const it = f.watchBody(source([LINE_A]), abort.signal)[Symbol.asyncIterator]();
    const next = it.next();
    const early = await Promise.race([
      next.then(() => 'data'),
      new Promise((r) => setTimeout(() => r('silent'), 100)),
    ]);
    expect(early).toBe('silent');
    abort.abort();
    expect((await next).done).toBe(true);
  });

  it('reset() turns every watch switch off', () => {
    const f = injector();
    f.silenceWatches = true;
    f.watchSplitBytes = 3;
    f.corruptWatchLines = 2;
    f.watchErrorEvents = 2;
    f.truncateWatches = 2;
    f.reset();
    expect([
      f.silenceWatches,
      f.watchSplitBytes,
      f.corruptWatchLines,
      f.watchErrorEvents,
      f.truncateWatches,
    ]).toEqual([false, 0, 0, 0, 0]);
  });
});
