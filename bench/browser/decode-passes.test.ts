import { describe, expect, it } from 'vitest';
import { decoderFromMemoryPass, memoryStream, rawParsePass } from './decode-passes.ts';

/** n pod MODIFIED events, one JSON line each, with multi-byte text so chunk edges split characters. */
function replay(n: number): Uint8Array {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: 'ns', resourceVersion: String(100 + i) },
      spec: { note: 'ünïcødé ✓ '.repeat(40) },
    };
    lines.push(JSON.stringify({ type: 'MODIFIED', object: pod }));
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(value);
  }
}

describe('memoryStream', () => {
  it('replays the bytes in order in chunks of the given size, the last one shorter', async () => {
    const bytes = Uint8Array.from({ length: 10 }, (_, i) => i);
    const chunks = await collect(memoryStream(bytes, 4));
    expect(chunks.map((c) => [...c])).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('rejects a chunk size that is not a positive integer', () => {
    expect(() => memoryStream(new Uint8Array(1), 0)).toThrow(RangeError);
    expect(() => memoryStream(new Uint8Array(1), 1.5)).toThrow(RangeError);
  });
});

describe('rawParsePass', () => {
  it('parses every line and reports the byte count', () => {
    const bytes = replay(25);
    const r = rawParsePass(bytes, 25);
    expect(r.events).toBe(25);
    expect(r.bytes).toBe(bytes.length);
    expect(r.ms).toBeGreaterThanOrEqual(0);
  });

  it('fails when the replay holds another number of events than expected', () => {
    expect(() => rawParsePass(replay(3), 4)).toThrow(/saw 3 events, expected 4/);
  });
});

describe('decoderFromMemoryPass', () => {
  it('decodes the same events as the raw pass across small chunk boundaries (WS-02)', async () => {
    const bytes = replay(40);
    const r = await decoderFromMemoryPass(bytes, 40);
    expect(r.events).toBe(40);
    expect(r.bytes).toBe(bytes.length);
  });

  it('fails on a stream that ends early', async () => {
    await expect(decoderFromMemoryPass(replay(5), 6)).rejects.toThrow(/saw 5 events, expected 6/);
  });

  it('fails on an event that is not MODIFIED, naming it (WS-05: a bad line is an ERROR event)', async () => {
    const bytes = new TextEncoder().encode('not json\n');
    await expect(decoderFromMemoryPass(bytes, 1)).rejects.toThrow(/unexpected ERROR event/);
  });
});
