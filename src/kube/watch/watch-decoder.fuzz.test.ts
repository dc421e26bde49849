// Bounded fuzzing of the watch decoder (issue 6). Beyond the chunking property in
// watch-decoder.test.ts, these feed arbitrary bytes, heavy multi-byte text, garbage lines in the
// middle of valid streams, and whole streams through decodeWatchStream, under a fixed seed and a
// time budget (test/adversarial/fuzz-budget.ts).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { printSummary } from '../../../test/adversarial/adversarial-summary.ts';
import { runFuzz } from '../../../test/adversarial/fuzz-budget.ts';
import type { KubeObject, WatchEvent } from '../api/types.ts';
import { DECODE_ERROR_PREFIX, decodeWatchStream, WatchDecoder } from './watch-decoder.ts';

const PART = 'fuzz-watch-decoder';
afterAll(() => {
  printSummary(PART);
});

/** Cut `bytes` at the given offsets (taken modulo the length), in order, into chunks. */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % (bytes.length + 1))))].sort(
    (a, b) => a - b,
  );
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p)); // empty chunks included on purpose
    prev = p;
  }
  return out;
}

function decodeAll(chunks: Uint8Array[]): { events: WatchEvent<KubeObject>[]; failedAt: number } {
  const d = new WatchDecoder();
  const events: WatchEvent<KubeObject>[] = [];
  let failedAt = -1;
  for (const c of chunks) {
    events.push(...d.push(c));
    if (d.failed && failedAt === -1) failedAt = events.length;
  }
  events.push(...d.end());
  if (d.failed && failedAt === -1) failedAt = events.length;
  return { events, failedAt };
}

const isDecodeError = (e: WatchEvent<KubeObject>) =>
  e.type === 'ERROR' &&
  typeof (e.object as { message?: unknown }).message === 'string' &&
  (e.object as { message: string }).message.startsWith(DECODE_ERROR_PREFIX);

// Text that stresses UTF-8 framing: astral characters, combining marks, BOM, line/paragraph
// separators (not JSON line ends), escaped newlines, braces and quotes inside strings.
const nastyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '😀',
      '𝄞',
      'é',
      'e\u0301',
      '\ufeff',
      '\u2028',
      '\u2029',
      '{',
      '}',
      '"',
      '\\',
      '\n',
      '\r',
      '}{',
    ),
    fc.string({ unit: 'grapheme', maxLength: 1 }),
  ),
  maxLength: 30,
});

const eventArb = fc.record({
  type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'),
  object: fc.record({
    kind: fc.constantFrom('Pod', 'ConfigMap', 'Status'),
    metadata: fc.record({ name: nastyText, resourceVersion: fc.stringMatching(/^[1-9][0-9]{0,8}$/) }),
    data: fc.dictionary(nastyText, nastyText, { maxKeys: 3 }),
  }),
});

const cutsArb = fc.array(fc.nat(), { maxLength: 40 });

describe('watch decoder fuzzing (WS-02..06)', () => {
  it('WS-03/05: arbitrary bytes in arbitrary chunks never throw, and a decode error is the last event', async () => {
    await runFuzz(
      PART,
      fc.property(fc.uint8Array({ maxLength: 400 }), cutsArb, (bytes, cuts) => {
        const { events, failedAt } = decodeAll(chunk(bytes, cuts));
        const errors = events.filter(isDecodeError);
        expect(errors.length).toBeLessThanOrEqual(1);
        if (errors.length === 1) {
          expect(events.at(-1)).toBe(errors[0]);
          expect(failedAt).toBe(events.length);
        }
        for (const e of events) expect(typeof e.object).toBe('object');
      }),
      1500,
    );
  });

  it('WS-03/04: any valid stream yields exactly its events, whatever the chunking and line ends', async () => {
    await runFuzz(
      PART,
      fc.property(
        fc.array(eventArb, { maxLength: 10 }),
        cutsArb,
        fc.constantFrom('\n', '\r\n', '\n\n', ' \n'),
        fc.boolean(),
        (events, cuts, eol, finalNewline) => {
          let text = events.map((e) => JSON.stringify(e)).join(eol);
          if (finalNewline && events.length > 0) text += eol;
          const out = decodeAll(chunk(new TextEncoder().encode(text), cuts));
          expect(out.events).toEqual(events);
          expect(out.failedAt).toBe(-1);
        },
      ),
      800,
    );
  });

  it('WS-05: a malformed line in the middle yields the events before it, exactly one ERROR, then nothing', async () => {
    const garbage = fc.oneof(
      fc.constantFrom(
        'not json',
        '{"type":"ADDED"',
        '[1,2,3]',
        '"just a string"',
        '42',
        'null',
        '{"type":"NOPE","object":{}}',
        '{"type":"ADDED","object":5}',
        '{"type":"ADDED","object":[]}',
        '{"object":{}}',
        '{"type":"ADDED","object":{}}x',
        '{"a":1}{"type":"ADDED"}',
        '\u0000',
        '\ufffd\ufffd',
      ),
      // Random text that is not blank and not valid JSON of any kind.
      fc.string({ minLength: 1, maxLength: 20 }).map((s) => `#${s.replace(/[\r\n]/g, '')}`),
    );
    await runFuzz(
      PART,
      fc.property(
        fc.array(eventArb, { maxLength: 5 }),
        garbage,
        fc.array(eventArb, { minLength: 1, maxLength: 5 }),
        cutsArb,
        (before, bad, after, cuts) => {
          const text = [...before.map((e) => JSON.stringify(e)), bad, ...after.map((e) => JSON.stringify(e))]
            .join('\n')
            .concat('\n');
          const out = decodeAll(chunk(new TextEncoder().encode(text), cuts));
          expect(out.events.slice(0, before.length)).toEqual(before);
          expect(out.events).toHaveLength(before.length + 1);
          expect(isDecodeError(out.events[before.length] as WatchEvent<KubeObject>)).toBe(true);
        },
      ),
      800,
    );
  });

  it('WS-06: through decodeWatchStream, a valid stream with a truncated final line ends cleanly, in order, without hanging', async () => {
    await runFuzz(
      PART,
      fc.asyncProperty(
        fc.array(eventArb, { maxLength: 8 }),
        fc.string({ maxLength: 30 }),
        cutsArb,
        async (events, tailSeed, cuts) => {
          // A final line cut short: a prefix of one more event's JSON that cannot parse on its own.
          const extra = JSON.stringify({ type: 'ADDED', object: { metadata: { name: tailSeed } } });
          const truncated = extra.slice(0, Math.max(1, extra.length - 2));
          const text = `${events.map((e) => `${JSON.stringify(e)}\n`).join('')}${truncated}`;
          const chunks = chunk(new TextEncoder().encode(text), cuts);
          let i = 0;
          const body = new ReadableStream<Uint8Array>({
            pull(controller) {
              const next = chunks[i++];
              if (next === undefined) controller.close();
              else controller.enqueue(next);
            },
          });
          const got: WatchEvent<KubeObject>[] = [];
          for await (const e of decodeWatchStream(body)) {
            got.push(e);
            if (got.length > events.length + 1) break; // bounded even if the decoder misbehaves
          }
          expect(got).toEqual(events);
        },
      ),
      400,
    );
  });
});
