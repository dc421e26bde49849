import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../api/types.ts';
import {
  DECODE_ERROR_PREFIX,
  decodeWatchStream,
  splitConcatenatedJson,
  WatchDecoder,
} from './watch-decoder.ts';

const enc = new TextEncoder();

function pod(name: string, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', resourceVersion: '1' },
    ...extra,
  };
}
function line(type: string, object: unknown): string {
  return `${JSON.stringify({ type, object })}\n`;
}

/** A body that delivers exactly these chunks, then ends (or errors). */
function bodyOf(chunks: Uint8Array[], end: 'close' | Error = 'close'): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const c = chunks[i++];
      if (c) controller.enqueue(c);
      else if (end === 'close') controller.close();
      else controller.error(end);
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<WatchEvent[]> {
  const out: WatchEvent[] = [];
  for await (const ev of decodeWatchStream(body, signal)) out.push(ev);
  return out;
}

describe('WatchDecoder (WS-02..06)', () => {
  it('WS-02 / WS-04: decodes newline-framed events in order', async () => {
    const text =
      line('ADDED', pod('a')) +
      line('MODIFIED', pod('a')) +
      line('DELETED', pod('a')) +
      line('BOOKMARK', { kind: 'Pod', metadata: { resourceVersion: '9' } });
    const events = await collect(bodyOf([enc.encode(text)]));
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK']);
    expect(events[3]?.object.metadata?.resourceVersion).toBe('9');
  });

  it('WS-03: splits inside a multi-byte UTF-8 sequence and inside a line are handled', async () => {
    const text = line('ADDED', pod('ünïcødé-😀', { data: { note: '日本語 ✓' } }));
    const bytes = enc.encode(text);
    const emoji = bytes.indexOf(0xf0); // first byte of the 4-byte emoji
    const chunks = [bytes.slice(0, emoji + 1), bytes.slice(emoji + 1, emoji + 3), bytes.slice(emoji + 3)];
    const events = await collect(bodyOf(chunks));
    expect(events).toEqual([{ type: 'ADDED', object: pod('ünïcødé-😀', { data: { note: '日本語 ✓' } }) }]);
  });

  it('WS-03: blank lines, CRLF and whitespace between events are skipped', async () => {
    const text = `\n  \n${line('ADDED', pod('a')).replace('\n', '\r\n')}\n\t\n${line('ADDED', pod('b'))}`;
    const events = await collect(bodyOf([enc.encode(text)]));
    expect(events.map((e) => (e.object as KubeObject).metadata?.name)).toEqual(['a', 'b']);
  });

  it('WS-03: back-to-back events without a newline (`}{`) are accepted, braces in strings included', async () => {
    const a = JSON.stringify({ type: 'ADDED', object: pod('a', { s: '}{ "\\"}' }) });
    const b = JSON.stringify({ type: 'ADDED', object: pod('b') });
    const events = await collect(bodyOf([enc.encode(`${a}${b}\n`)]));
    expect(events.map((e) => (e.object as KubeObject).metadata?.name)).toEqual(['a', 'b']);
    expect(splitConcatenatedJson('{"a":1} {"b":"}"}')).toEqual(['{"a":1}', '{"b":"}"}']);
    expect(() => splitConcatenatedJson('{"a":1')).toThrow();
  });

  it('WS-05: a non-JSON line yields one synthetic ERROR (500 InternalError) and the stream ends', async () => {
    const text = `${line('ADDED', pod('a'))}<html>oops</html>\n${line('ADDED', pod('b'))}`;
    const events = await collect(bodyOf([enc.encode(text)]));
    expect(events).toHaveLength(2);
    const err = events[1]!;
    expect(err.type).toBe('ERROR');
    if (err.type !== 'ERROR') throw new Error('unreachable');
    expect(err.object.code).toBe(500);
    expect(err.object.reason).toBe('InternalError');
    expect(err.object.message?.startsWith(DECODE_ERROR_PREFIX)).toBe(true);
  });

  it('WS-05: an unknown event type, a missing object, or a non-object event is a decode error', () => {
    for (const bad of ['{"type":"WIBBLE","object":{}}', '{"type":"ADDED"}', '[1,2]', '42']) {
      const d = new WatchDecoder();
      const events = d.push(enc.encode(`${bad}\n`));
      expect(events).toHaveLength(1);
      expect(events[0]?.type).toBe('ERROR');
      expect(d.failed).toBe(true);
      expect(d.push(enc.encode(line('ADDED', pod('x'))))).toEqual([]);
    }
  });

  it('WS-07: a server ERROR event passes through as an ERROR carrying the Status', async () => {
    const status = {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: 410,
      reason: 'Expired',
      message: 'too old resource version: 1 (5)',
    };
    const events = await collect(bodyOf([enc.encode(line('ERROR', status))]));
    expect(events).toEqual([{ type: 'ERROR', object: status }]);
  });

  it('WS-06: a truncated final line ends cleanly with no ERROR; a complete final line without newline is delivered', async () => {
    const full = line('ADDED', pod('a'));
    const truncated = await collect(bodyOf([enc.encode(full + full.slice(0, 30))]));
    expect(truncated.map((e) => e.type)).toEqual(['ADDED']);
    const noNewline = await collect(bodyOf([enc.encode(full + full.trimEnd())]));
    expect(noNewline.map((e) => e.type)).toEqual(['ADDED', 'ADDED']);
  });

  it('WS-06 / BR-04: a TypeError from read() mid-stream is a clean end', async () => {
    const events = await collect(bodyOf([enc.encode(line('ADDED', pod('a')))], new TypeError('terminated')));
    expect(events.map((e) => e.type)).toEqual(['ADDED']);
  });

  it('WS-09: after the signal aborts nothing more is delivered and the pending read is cancelled', async () => {
    const ac = new AbortController();
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode(line('ADDED', pod('a')) + line('ADDED', pod('b'))));
      },
      cancel() {
        cancelled = true;
      },
    });
    const seen: string[] = [];
    for await (const ev of decodeWatchStream(body, ac.signal)) {
      seen.push((ev.object as KubeObject).metadata?.name ?? '');
      ac.abort();
    }
    expect(seen).toEqual(['a']);
    expect(cancelled).toBe(true);
  });

  it('keeps an event split over many small chunks intact (1.5 MB object)', () => {
    const big = pod('big', { data: { blob: 'x'.repeat(1_500_000) } });
    const bytes = enc.encode(line('MODIFIED', big));
    const d = new WatchDecoder();
    const events: WatchEvent[] = [];
    for (let i = 0; i < bytes.length; i += 16_384) events.push(...d.push(bytes.subarray(i, i + 16_384)));
    events.push(...d.end());
    expect(events).toHaveLength(1);
    expect((events[0]!.object as { data: { blob: string } }).data.blob.length).toBe(1_500_000);
  });

  it('WS-03 / WS-04 property: any split of a valid stream into chunks yields the same events', () => {
    const eventArb = fc.record({
      type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK'),
      object: fc.record({
        kind: fc.constant('Pod'),
        metadata: fc.record({
          name: fc.string({ unit: 'binary', maxLength: 12 }),
          resourceVersion: fc.stringMatching(/^[0-9]{1,6}$/),
        }),
        note: fc.string({ unit: 'binary', maxLength: 40 }),
      }),
    });
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.constantFrom('\n', '\r\n', '\n\n'),
        (events, cuts, sep) => {
          const bytes = enc.encode(events.map((e) => JSON.stringify(e) + sep).join(''));
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const d = new WatchDecoder();
          const got: WatchEvent[] = [];
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            got.push(...d.push(bytes.slice(prev, p)));
            prev = p;
          }
          got.push(...d.end());
          expect(got).toEqual(events);
        },
      ),
      { numRuns: 300 },
    );
  });
});
