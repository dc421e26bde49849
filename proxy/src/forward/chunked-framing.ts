// Follows the framing of an HTTP/1.1 chunked body (RFC 9112 section 7.1) without copying or
// decoding it, so that a watch's bytes can be relayed as the upstream framed them: the proxy only
// needs to know where the body ends, and must not pass the last-chunk on (the server response
// writes its own when it ends).
//
// Invariants: the pieces returned by push() are, in order, exactly the body's bytes up to (not
// including) the last-chunk "0\r\n"; they are subarrays of the buffers given (one per buffer in
// the common case, so the relay makes one write per read), except a chunk-size line that was cut
// between two buffers, which is held back and returned whole once complete (so a last-chunk split
// across reads is never half forwarded); after `done` or an error, nothing more is returned.
// After `done` it goes on consuming the trailer section (RFC 9112 section 7.1.2) up to its empty
// line, so that a connection kept alive knows where the next response starts: `ended` says the
// whole message was read, and `excess` that bytes followed it (the connection is then out of step
// and must not be reused).

/** A size line longer than this is not a chunk size (a hostile or broken upstream). */
const MAX_SIZE_LINE = 1024;
/** A trailer section longer than this is refused (a hostile or broken upstream). */
const MAX_TRAILER_BYTES = 16 * 1024;

type State = 'size' | 'data' | 'data-cr' | 'data-lf' | 'trailer' | 'ended' | 'failed';

export interface FramingResult {
  /** Bytes to pass on, in order (subarrays of the input, or a held-back size line). */
  forward: Buffer[];
  /** The last-chunk was seen: the body is complete (trailers, if any, are dropped). */
  done: boolean;
  /** The framing is broken; nothing more will be forwarded. */
  error?: string;
}

/**
 * The chunk size of the line buf[start, end) (its LF at end - 1): hex digits, then optionally
 * whitespace or ';' and extensions, then CRLF or LF. A string describing the fault otherwise.
 */
function parseChunkSize(buf: Buffer, start: number, end: number): number | string {
  let size = 0;
  let i = start;
  for (; i < end; i++) {
    const c = buf[i]!;
    const digit =
      c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (digit < 0) break;
    size = size * 16 + digit;
  }
  const digits = i - start;
  const c = buf[i];
  const rest = c === 59 || c === 32 || c === 9 || (c === 13 && i === end - 2) || i === end - 1;
  if (digits === 0 || digits > 13 || !rest) {
    const text = buf.toString('latin1', start, end).replace(/\r?\n$/, '');
    return `bad chunk-size line "${text.slice(0, 40)}"`;
  }
  return size;
}

/**
 * What push() returns as `forward`: 'framed', the body's bytes with their framing (to relay as
 * the server framed them); 'payload', only the chunks' data, the body as a client reads it (for
 * the multiplexer, whose frames carry the data alone). Both are views into the input, no copy.
 */
export type FramingOutput = 'framed' | 'payload';

export class ChunkedFraming {
  readonly #framed: boolean;
  #state: State = 'size';
  /** Bytes of the current chunk's data still to come (state 'data'). */
  #remaining = 0;
  /** The start of a size line cut at the end of the previous buffer (copied), held back. */
  #held: Buffer | undefined;
  /** Trailer bytes consumed so far (bounded by MAX_TRAILER_BYTES). */
  #trailerBytes = 0;
  /** Bytes of the current trailer line before its LF, and whether the last of them was a CR. */
  #trailerLineBytes = 0;
  #trailerLastCr = false;
  #excess = false;

  constructor(output: FramingOutput = 'framed') {
    this.#framed = output === 'framed';
  }

  /** The last-chunk was seen: every byte of the body has been returned. */
  get done(): boolean {
    return this.#state === 'trailer' || this.#state === 'ended';
  }

  /** The whole message was read, trailer section included. */
  get ended(): boolean {
    return this.#state === 'ended';
  }

  /** Bytes followed the end of the message (in the buffer that ended it, or pushed after). */
  get excess(): boolean {
    return this.#excess;
  }

  // A method, not a closure made on every push: push runs once per socket read.
  readonly #fail = (error: string): FramingResult => {
    this.#state = 'failed';
    this.#held = undefined;
    return { forward: [], done: false, error };
  };

  push(buf: Buffer): FramingResult {
    const forward: Buffer[] = [];
    if (this.#state === 'trailer') {
      const r = this.#trailer(buf, 0);
      return r === undefined ? { forward, done: true } : this.#fail(r);
    }
    if (this.#state === 'ended') {
      if (buf.length > 0) this.#excess = true;
      return { forward, done: true };
    }
    if (this.#state === 'failed') return { forward, done: false };
    const fail = this.#fail;
    // Start of the run of bytes that goes out as one subarray.
    let from = 0;
    let i = 0;
    while (i < buf.length) {
      switch (this.#state) {
        case 'size': {
          const lf = buf.indexOf(10, i);
          const held = this.#held;
          if (lf === -1) {
            // The line continues in the next buffer: forward the run before it, hold the rest.
            if (this.#framed && i > from) forward.push(buf.subarray(from, i));
            const part = buf.subarray(i);
            const line = held ? Buffer.concat([held, part]) : Buffer.from(part);
            if (line.length > MAX_SIZE_LINE) return fail('chunk-size line too long');
            this.#held = line;
            return { forward, done: false };
          }
          let size: number | string;
          if (held) {
            // The line started in the previous buffer (so i === from === 0 here).
            const line = Buffer.concat([held, buf.subarray(i, lf + 1)]);
            this.#held = undefined;
            if (line.length > MAX_SIZE_LINE) return fail('chunk-size line too long');
            size = parseChunkSize(line, 0, line.length);
            if (typeof size === 'string') return fail(size);
            if (this.#framed && size > 0) forward.push(line);
            from = lf + 1;
          } else {
            if (lf + 1 - i > MAX_SIZE_LINE) return fail('chunk-size line too long');
            size = parseChunkSize(buf, i, lf + 1);
            if (typeof size === 'string') return fail(size);
          }
          if (size === 0) {
            // The last-chunk: the run ends before its line, which is never forwarded.
            if (this.#framed && !held && i > from) forward.push(buf.subarray(from, i));
            this.#state = 'trailer';
            const r = this.#trailer(buf, lf + 1);
            return r === undefined ? { forward, done: true } : this.#fail(r);
          }
          i = lf + 1;
          this.#remaining = size;
          this.#state = 'data';
          break;
        }
        case 'data': {
          const take = Math.min(this.#remaining, buf.length - i);
          if (!this.#framed && take > 0) forward.push(buf.subarray(i, i + take));
          i += take;
          this.#remaining -= take;
          if (this.#remaining === 0) this.#state = 'data-cr';
          break;
        }
        case 'data-cr':
          if (buf[i] !== 13) return fail('chunk data not followed by CRLF');
          i++;
          this.#state = 'data-lf';
          break;
        case 'data-lf':
          if (buf[i] !== 10) return fail('chunk data not followed by CRLF');
          i++;
          this.#state = 'size';
          break;
        default:
          return { forward, done: this.done };
      }
    }
    if (this.#framed && i > from) forward.push(buf.subarray(from, i));
    return { forward, done: false };
  }

  /** Consume trailer lines from buf[at]; undefined, or what is wrong with the section. */
  #trailer(buf: Buffer, at: number): string | undefined {
    let i = at;
    while (i < buf.length) {
      const lf = buf.indexOf(10, i);
      const end = lf === -1 ? buf.length : lf;
      this.#trailerBytes += end - i + (lf === -1 ? 0 : 1);
      if (this.#trailerBytes > MAX_TRAILER_BYTES) return 'trailer section too long';
      if (end > i) {
        this.#trailerLineBytes += end - i;
        this.#trailerLastCr = buf[end - 1] === 13;
      }
      if (lf === -1) return undefined;
      // The empty line ("\r\n" or a bare "\n") ends the section, and the message.
      const empty = this.#trailerLineBytes === 0 || (this.#trailerLineBytes === 1 && this.#trailerLastCr);
      this.#trailerLineBytes = 0;
      this.#trailerLastCr = false;
      i = lf + 1;
      if (empty) {
        this.#state = 'ended';
        if (i < buf.length) this.#excess = true;
        return undefined;
      }
    }
    return undefined;
  }
}
