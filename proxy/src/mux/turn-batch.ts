// Gathers the body pieces one mux stream receives during one turn of the event loop, so they go
// to the browser as one WebSocket frame instead of one frame per piece.
//
// Why: a TLS upstream hands the proxy its body in ≤16 KiB pieces, one per TLS record, and one
// socket read usually holds several of them. The mux copies every piece into a frame behind its
// stream id anyway; joining a turn's pieces into one frame costs the same copy, but the browser
// then handles one message (one event on its main thread) per turn instead of per TLS record:
// 207 frames instead of 7,822 for the 30,000-event bench replay, at equal proxy CPU.
// The plain HTTP route does NOT do this: there the pieces are relayed without a copy, and joining
// them (a copy, pieces kept alive to the end of the turn, more old-generation GC) raised the
// proxy's CPU per replay by more than it saved the client (bench/README.md, "proxy").
//
// Not a buffer in time: the first piece of a turn schedules the flush with setImmediate, which
// runs in the same loop iteration, right after the I/O callbacks that delivered the pieces. No
// timer, no waiting for more data: only what has already arrived is gathered, and a lone event is
// sent in the iteration it arrived in.
//
// Pieces may be views of memory lent by their reader (a raw stream's read slabs): hold() takes the
// function that gives them back, called once the pieces added so far were flushed (copied into a
// frame) or dropped.
//
// Invariants: `#bytes` is the sum of the lengths of `#pieces`; whenever `#pieces` is non-empty a
// flush is scheduled (`#scheduled`), so nothing waits past the current loop iteration; every
// release in `#releases` covers pieces still in `#pieces`, and is called exactly once; after
// `close()` no piece is kept and `onFlush` is never called again.

export type FlushBatch = (pieces: readonly Buffer[], bytes: number) => void;

/** A batch this large is sent at once instead of at the end of the turn (bounds memory). */
export const DEFAULT_MAX_BATCH_BYTES = 1024 * 1024;

export class TurnBatch {
  readonly #onFlush: FlushBatch;
  readonly #maxBytes: number;
  #pieces: Buffer[] = [];
  #releases: (() => void)[] = [];
  #bytes = 0;
  #scheduled = false;
  #closed = false;

  /** `onFlush` receives the pieces in arrival order; it must not keep the array. */
  constructor(onFlush: FlushBatch, maxBytes = DEFAULT_MAX_BATCH_BYTES) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
    }
    this.#onFlush = onFlush;
    this.#maxBytes = maxBytes;
  }

  /** Bytes gathered and not yet flushed. */
  get pendingBytes(): number {
    return this.#bytes;
  }

  add(piece: Buffer): void {
    if (this.#closed || piece.length === 0) return;
    this.#pieces.push(piece);
    this.#bytes += piece.length;
    if (this.#bytes >= this.#maxBytes) {
      this.flush();
      return;
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#onTurnEnd);
    }
  }

  /**
   * The pieces added so far are lent: `release` is called once they were sent or dropped (at
   * once when none is waiting).
   */
  hold(release: () => void): void {
    if (this.#pieces.length === 0) release();
    else this.#releases.push(release);
  }

  /** Send what is gathered now (before an end-of-stream marker, for instance). */
  flush(): void {
    if (this.#bytes === 0) return;
    const pieces = this.#pieces;
    const bytes = this.#bytes;
    this.#pieces = [];
    this.#bytes = 0;
    try {
      this.#onFlush(pieces, bytes);
    } finally {
      this.#releaseAll();
    }
  }

  /** Drop what is gathered and never flush again (the stream was cancelled or cut). */
  close(): void {
    this.#closed = true;
    this.#pieces = [];
    this.#bytes = 0;
    this.#releaseAll();
  }

  #releaseAll(): void {
    const releases = this.#releases;
    if (releases.length === 0) return;
    this.#releases = [];
    for (const release of releases) release();
  }

  readonly #onTurnEnd = (): void => {
    this.#scheduled = false;
    if (!this.#closed) this.flush();
  };
}

/** The pieces as one Buffer, without a copy when there is only one. */
export function joinPieces(pieces: readonly Buffer[], bytes: number): Buffer {
  return pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces, bytes);
}
