// WS-02..06: newline-framed JSON watch events from a byte stream.
//
// Speed matters (the decode path must run at >= 50% of raw JSON.parse): bytes go through ONE
// streaming TextDecoder, each decoded chunk is scanned for '\n' from the last position, and only
// the unterminated tail is kept. The tail is kept as a list of pieces and joined once, when its
// line completes, so an object spread over many chunks (1.5 MB ConfigMaps) costs O(size), not
// O(size^2). The slow path (back-to-back `}{` without a newline, WS-03 SHOULD) runs only for a
// line that JSON.parse rejected.
import type { KubeObject, Status, WatchEvent } from '../api/types.ts';

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

export const DECODE_ERROR_PREFIX = 'unable to decode an event from the watch stream:';

/** WS-05: the synthetic ERROR event that reports a decode failure. */
export function decodeErrorEvent(detail: string): WatchEvent<never> {
  const status: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code: 500,
    reason: 'InternalError',
    message: `${DECODE_ERROR_PREFIX} ${detail}`,
  };
  return { type: 'ERROR', object: status };
}

class DecodeError extends Error {}

function toEvent<T extends KubeObject>(value: unknown): WatchEvent<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DecodeError('event is not a JSON object');
  }
  const { type, object } = value as { type?: unknown; object?: unknown };
  if (typeof type !== 'string' || !EVENT_TYPES.has(type)) {
    throw new DecodeError(`unknown event type ${JSON.stringify(type)}`);
  }
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new DecodeError(`event ${type} has no object`);
  }
  return value as WatchEvent<T>;
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    // space, \t, \r, \n
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

/**
 * Split text holding several JSON values written back to back (`{…}{…}`) into the values' texts.
 * Tracks string literals and escapes so braces inside strings do not count. Throws DecodeError
 * when the text is not a sequence of complete objects.
 */
export function splitConcatenatedJson(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      if (depth === 0) throw new DecodeError('string outside an object');
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (depth === 0) {
        if (c === 0x5b) throw new DecodeError('array where an event object was expected');
        start = i;
      }
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth < 0) throw new DecodeError('unbalanced closing bracket');
      if (depth === 0) out.push(text.slice(start, i + 1));
    } else if (depth === 0 && c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) {
      throw new DecodeError(`unexpected character ${JSON.stringify(text[i])}`);
    }
  }
  if (depth !== 0 || inString) throw new DecodeError('truncated object');
  return out;
}

/**
 * The framing state machine, free of I/O so it can be tested and benchmarked directly.
 * push() returns the events completed by a chunk, in stream order (WS-04). After a decode error
 * it returns that one synthetic ERROR event and `failed` becomes true; later input is ignored.
 */
export class WatchDecoder<T extends KubeObject = KubeObject> {
  readonly #text = new TextDecoder('utf-8');
  // Invariant: the concatenation of #pending is the current partial line; it holds no '\n'.
  #pending: string[] = [];
  #failed = false;

  get failed(): boolean {
    return this.#failed;
  }

  push(chunk: Uint8Array): WatchEvent<T>[] {
    if (this.#failed) return [];
    return this.#feed(this.#text.decode(chunk, { stream: true }));
  }

  /**
   * End of body. A complete final line without its newline is still delivered; a line that does
   * not parse is a truncated event and is dropped: a clean end (WS-06).
   */
  end(): WatchEvent<T>[] {
    if (this.#failed) return [];
    const events = this.#feed(this.#text.decode());
    if (this.#failed) return events;
    const tail = this.#pending.join('');
    this.#pending = [];
    if (isBlank(tail)) return events;
    try {
      for (const piece of parseLine(tail)) events.push(toEvent<T>(piece));
    } catch {
      // truncated: WS-06, no ERROR event
    }
    return events;
  }

  #feed(text: string): WatchEvent<T>[] {
    const events: WatchEvent<T>[] = [];
    let pos = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      let line: string;
      if (this.#pending.length > 0) {
        this.#pending.push(text.slice(pos, nl));
        line = this.#pending.join('');
        this.#pending = [];
      } else {
        line = text.slice(pos, nl);
      }
      pos = nl + 1;
      if (!isBlank(line)) {
        try {
          for (const value of parseLine(line)) events.push(toEvent<T>(value));
        } catch (err) {
          this.#failed = true;
          this.#pending = [];
          events.push(decodeErrorEvent(describeFailure(err, line)) as WatchEvent<T>);
          return events;
        }
      }
      nl = text.indexOf('\n', pos);
    }
    if (pos < text.length) this.#pending.push(pos === 0 ? text : text.slice(pos));
    return events;
  }
}

/** Fast path: one JSON value per line. Slow path only when that fails (WS-03 `}{`). */
function parseLine(line: string): unknown[] {
  try {
    return [JSON.parse(line)];
  } catch (fastErr) {
    let parts: string[];
    try {
      parts = splitConcatenatedJson(line);
    } catch {
      throw fastErr;
    }
    if (parts.length < 2) throw fastErr;
    return parts.map((p) => JSON.parse(p) as unknown);
  }
}

function describeFailure(err: unknown, line: string): string {
  const msg = err instanceof Error ? err.message : String(err);
  const preview = line.length > 200 ? `${line.slice(0, 200)}…` : line;
  return `${msg} (line: ${preview})`;
}

/**
 * Read a watch body to events. Ends cleanly at end of body, on a truncated final line, and when
 * read() rejects (a transport drop, WS-06); ends after the synthetic ERROR of a decode failure
 * (WS-05). When `signal` aborts, the pending read is cancelled and nothing more is delivered
 * (WS-09): the signal is checked before every delivery.
 */
export async function* decodeWatchStream<T extends KubeObject = KubeObject>(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<WatchEvent<T>, void, undefined> {
  const reader = body.getReader();
  const decoder = new WatchDecoder<T>();
  // Cancelling the reader wakes a pending read() at once, even on transports that ignore signals.
  const onAbort = () => {
    reader.cancel().catch(() => {});
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) return;
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch {
        return; // WS-06 / BR-04: a TypeError (or an abort) mid-read is a transport drop
      }
      const events = result.done ? decoder.end() : decoder.push(result.value);
      for (const event of events) {
        if (signal?.aborted) return;
        yield event;
      }
      if (result.done || decoder.failed) return;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // Release the connection whether we finished, failed to decode or the consumer broke off.
    reader.cancel().catch(() => {});
  }
}
