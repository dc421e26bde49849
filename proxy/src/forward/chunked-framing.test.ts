import { describe, expect, it } from 'vitest';
import { ChunkedFraming, type FramingOutput } from './chunked-framing.ts';

/** A chunked body of these chunks, with the last-chunk (and optional trailers). */
function chunked(chunks: string[], trailer = ''): { body: Buffer; beforeLast: Buffer } {
  const framed = chunks.map((c) => `${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`).join('');
  return {
    body: Buffer.from(`${framed}0\r\n${trailer}\r\n`),
    beforeLast: Buffer.from(framed),
  };
}

/** Feed `body` in pieces cut at `cuts`; collect what is forwarded. */
function feed(body: Buffer, cuts: number[], output: FramingOutput = 'framed') {
  const framing = new ChunkedFraming(output);
  const out: Buffer[] = [];
  let done = false;
  let error: string | undefined;
  let at = 0;
  for (const cut of [...cuts, body.length]) {
    const r = framing.push(body.subarray(at, cut));
    out.push(...r.forward);
    done ||= r.done;
    error ??= r.error;
    at = cut;
  }
  return { forwarded: Buffer.concat(out), done, error };
}

describe('ChunkedFraming (BR-10: watch bodies relayed as framed)', () => {
  const events = ['{"type":"ADDED","object":{"n":"é"}}\n', '{"type":"MODIFIED"}\n{"type":"BOOKMARK"}\n'];

  it('forwards every byte before the last-chunk, cut anywhere, and says when the body ends', () => {
    const { body, beforeLast } = chunked(events);
    for (let a = 0; a <= body.length; a++) {
      for (const b of [a, a + 1, a + 7, body.length - 2]) {
        const cuts = [a, Math.min(Math.max(a, b), body.length)];
        const r = feed(body, cuts);
        expect(r.error).toBeUndefined();
        expect(r.done).toBe(true);
        expect(r.forwarded.equals(beforeLast)).toBe(true);
      }
    }
  });

  it('never forwards part of the last-chunk while it is still incomplete', () => {
    const { body, beforeLast } = chunked(events);
    const framing = new ChunkedFraming();
    // Everything up to and including the "0" of the last-chunk, but not its CRLF.
    const r1 = framing.push(body.subarray(0, beforeLast.length + 1));
    expect(Buffer.concat(r1.forward).equals(beforeLast)).toBe(true);
    expect(r1.done).toBe(false);
    const r2 = framing.push(body.subarray(beforeLast.length + 1));
    expect(r2.forward).toEqual([]);
    expect(r2.done).toBe(true);
    expect(framing.push(Buffer.from('more')).forward).toEqual([]);
  });

  it('keeps chunk extensions, drops trailers, and relays without copying chunk data', () => {
    const body = Buffer.from('5;name=value\r\nhello\r\n0\r\nx-trailer: 1\r\n\r\n');
    const framing = new ChunkedFraming();
    const r = framing.push(body);
    expect(Buffer.concat(r.forward).toString()).toBe('5;name=value\r\nhello\r\n');
    expect(r.done).toBe(true);
    // Whole chunks in one read go out as one view of that read: one write per read, no copy.
    const many = chunked(['a'.repeat(5000), 'b'.repeat(3000), 'c\n']).beforeLast;
    const data = new ChunkedFraming().push(many).forward;
    expect(data).toHaveLength(1);
    expect(data[0]?.buffer).toBe(many.buffer);
    expect(data[0]?.equals(many)).toBe(true);
  });

  it('reports broken framing and forwards nothing after it', () => {
    expect(feed(Buffer.from('zz\r\nhello\r\n'), []).error).toMatch(/bad chunk-size line "zz"/);
    expect(feed(Buffer.from('5\r\nhelloXX'), []).error).toMatch(/not followed by CRLF/);
    expect(feed(Buffer.from(`${'1'.repeat(2000)}`), []).error).toMatch(/too long/);
    const framing = new ChunkedFraming();
    expect(framing.push(Buffer.from('5\r\nhello!!')).error).toBeDefined();
    expect(framing.push(Buffer.from('5\r\nhello\r\n')).forward).toEqual([]);
  });

  it("in payload mode returns the chunks' data only, cut anywhere, as views of the input", () => {
    const { body } = chunked(events, 'x-trailer: 1\r\n');
    for (let a = 0; a <= body.length; a++) {
      for (const b of [a, a + 1, a + 9, body.length - 2]) {
        const r = feed(body, [a, Math.min(Math.max(a, b), body.length)], 'payload');
        expect(r.error).toBeUndefined();
        expect(r.done).toBe(true);
        expect(r.forwarded.toString()).toBe(events.join(''));
      }
    }
    const many = chunked(['a'.repeat(5000), 'b\n']).body;
    const data = new ChunkedFraming('payload').push(many).forward;
    expect(data.map((d) => d.length)).toEqual([5000, 2]);
    expect(data.every((d) => d.buffer === many.buffer)).toBe(true);
    expect(feed(Buffer.from('5\r\nhelloXX'), [], 'payload').error).toMatch(/not followed by CRLF/);
  });

  it('reads on to the end of the trailer section, cut anywhere, and tells bytes after the message', () => {
    for (const trailer of ['', 'x-trailer: 1\r\n', 'a: 1\r\nb: 2\r\n']) {
      const { body, beforeLast } = chunked(events, trailer);
      for (let a = 0; a <= body.length; a++) {
        for (const b of [a, a + 1, body.length - 1]) {
          const framing = new ChunkedFraming();
          const out: Buffer[] = [];
          const cuts = [a, Math.min(Math.max(a, b), body.length), body.length];
          let at = 0;
          for (const cut of cuts) {
            const r = framing.push(body.subarray(at, cut));
            expect(r.error).toBeUndefined();
            out.push(...r.forward);
            at = cut;
          }
          expect(framing.ended).toBe(true);
          expect(framing.excess).toBe(false);
          expect(Buffer.concat(out).equals(beforeLast)).toBe(true);
        }
      }
      // The last-chunk alone does not end the message: its trailer section has to.
      const partial = new ChunkedFraming();
      partial.push(body.subarray(0, body.length - 1));
      expect(partial.done).toBe(true);
      expect(partial.ended).toBe(false);
    }
    // A bare LF ends a line too (RFC 9112 section 2.2 lets a recipient accept it).
    const bare = new ChunkedFraming();
    bare.push(Buffer.from('1\r\na\r\n0\n\n'));
    expect(bare.ended).toBe(true);

    const { body } = chunked(events, 'x-trailer: 1\r\n');
    const sameRead = new ChunkedFraming();
    sameRead.push(Buffer.concat([body, Buffer.from('HTTP/1.1 200 OK')]));
    expect(sameRead.ended && sameRead.excess).toBe(true);
    const later = new ChunkedFraming();
    later.push(body);
    expect(later.excess).toBe(false);
    later.push(Buffer.from('x'));
    expect(later.excess).toBe(true);
    const endless = new ChunkedFraming();
    expect(endless.push(Buffer.from(`0\r\n${'x-a: b\r\n'.repeat(3000)}`)).error).toMatch(
      /trailer section too long/,
    );
  });
});
