// The four passes of the decode-path benchmark, run in the page over one watch replay of pod
// MODIFIED events: (a) transport only, (b) plain TextDecoder + split + JSON.parse, (c) our watch
// decoder over the captured bytes, (d) our watch decoder over the live fetch. Each pass checks
// that it saw exactly the events it was told to expect, so a short or broken stream fails loudly
// instead of producing a flattering rate.
import { decodeWatchStream } from '../../src/kube/watch/watch-decoder.ts';
import type { DecodeResult, DecodeRunOptions } from './page-api.ts';

/** Chunk size of the in-memory replay: a typical fetch body chunk under load. */
export const REPLAY_CHUNK_BYTES = 64 * 1024;

const NEWLINE = 0x0a;

function countNewlines(chunk: Uint8Array): number {
  let n = 0;
  for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

async function openReplay(opts: DecodeRunOptions, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  if (!Number.isInteger(opts.events) || opts.events < 1) {
    throw new RangeError(`events must be a positive integer, got ${opts.events}`);
  }
  const res = await fetch(opts.url, { signal, headers: { accept: 'application/json' } });
  if (res.status !== 200 || !res.body) {
    const text = await res.text().catch(() => '');
    throw new Error(`watch replay answered ${res.status}: ${text.slice(0, 200)}`);
  }
  return res.body;
}

/**
 * Read the replay until `events` newline-terminated lines arrived. With `keep`, the bytes are
 * returned (cut after the last expected newline, so later events never leak into a pass).
 */
async function readLines(
  opts: DecodeRunOptions,
  keep: boolean,
): Promise<{ result: DecodeResult; bytes: Uint8Array | undefined }> {
  const abort = new AbortController();
  const started = performance.now();
  const body = await openReplay(opts, abort.signal);
  const reader = body.getReader();
  const kept: Uint8Array[] = [];
  let lines = 0;
  let bytes = 0;
  try {
    while (lines < opts.events) {
      const { done, value } = await reader.read();
      if (done) throw new Error(`watch replay ended after ${lines}/${opts.events} events`);
      let chunk = value;
      const inChunk = countNewlines(chunk);
      if (lines + inChunk > opts.events) {
        // Keep only up to the newline that completes the expected count.
        let seen = 0;
        let cut = -1;
        for (let i = chunk.indexOf(NEWLINE); i >= 0; i = chunk.indexOf(NEWLINE, i + 1)) {
          if (++seen === opts.events - lines) {
            cut = i + 1;
            break;
          }
        }
        chunk = chunk.subarray(0, cut);
        lines = opts.events;
      } else {
        lines += inChunk;
      }
      bytes += chunk.length;
      if (keep) kept.push(chunk);
    }
  } finally {
    abort.abort();
    reader.cancel().catch(() => {});
  }
  const ms = performance.now() - started;
  if (!keep) return { result: { ms, events: lines, bytes }, bytes: undefined };
  const all = new Uint8Array(bytes);
  let offset = 0;
  for (const chunk of kept) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return { result: { ms, events: lines, bytes }, bytes: all };
}

/** (a) Transport only. */
export async function transportPass(opts: DecodeRunOptions): Promise<DecodeResult> {
  return (await readLines(opts, false)).result;
}

/** Fetch once and keep the bytes for the in-memory passes. */
export async function captureReplay(
  opts: DecodeRunOptions,
): Promise<{ result: DecodeResult; bytes: Uint8Array }> {
  const { result, bytes } = await readLines(opts, true);
  if (!bytes) throw new Error('capture kept no bytes');
  return { result, bytes };
}

/** (b) The raw rate: one TextDecoder call, split on newlines, JSON.parse of each line. */
export function rawParsePass(bytes: Uint8Array, expected: number): DecodeResult {
  const started = performance.now();
  const text = new TextDecoder('utf-8').decode(bytes);
  const lines = text.split('\n');
  let events = 0;
  // The parsed values are kept alive until the end, as a decoder's consumer would keep them.
  const parsed: unknown[] = [];
  for (const line of lines) {
    if (line.length === 0) continue;
    parsed.push(JSON.parse(line));
    events++;
  }
  const ms = performance.now() - started;
  if (events !== expected) throw new Error(`raw parse saw ${events} events, expected ${expected}`);
  return { ms, events, bytes: bytes.length };
}

/** The captured bytes as a body stream of REPLAY_CHUNK_BYTES chunks, produced on demand. */
export function memoryStream(bytes: Uint8Array, chunkBytes = REPLAY_CHUNK_BYTES): ReadableStream<Uint8Array> {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) {
    throw new RangeError(`chunkBytes must be a positive integer, got ${chunkBytes}`);
  }
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

/** Drain decodeWatchStream, counting MODIFIED events; any other event type is a failure here. */
async function drainDecoder(
  body: ReadableStream<Uint8Array>,
  expected: number,
  signal?: AbortSignal,
): Promise<number> {
  let events = 0;
  const kept: unknown[] = [];
  for await (const event of decodeWatchStream(body, signal)) {
    if (event.type !== 'MODIFIED') {
      throw new Error(
        `unexpected ${event.type} event after ${events} events: ${JSON.stringify(event.object).slice(0, 200)}`,
      );
    }
    kept.push(event.object);
    if (++events >= expected) break;
  }
  return events;
}

/** (c) Our decoder alone: the captured bytes replayed from memory. */
export async function decoderFromMemoryPass(bytes: Uint8Array, expected: number): Promise<DecodeResult> {
  const started = performance.now();
  const events = await drainDecoder(memoryStream(bytes), expected);
  const ms = performance.now() - started;
  if (events !== expected) throw new Error(`decoder saw ${events} events, expected ${expected}`);
  return { ms, events, bytes: bytes.length };
}

/** (d) Our decoder over the live fetch body (bytes are not counted: that would add a stage). */
export async function decoderLivePass(opts: DecodeRunOptions): Promise<DecodeResult> {
  const abort = new AbortController();
  const started = performance.now();
  let events: number;
  try {
    events = await drainDecoder(await openReplay(opts, abort.signal), opts.events, abort.signal);
  } finally {
    abort.abort();
  }
  const ms = performance.now() - started;
  if (events !== opts.events) throw new Error(`live decoder saw ${events} events, expected ${opts.events}`);
  return { ms, events };
}
