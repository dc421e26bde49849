// SlabArena: memory handed out in views of a few reused slabs, so that relaying a stream allocates
// nothing per read or per frame. Raw streams read into one (net/tls `onread`, raw-stream.ts); the
// multiplexer builds its frames in another (watch-mux.ts).
//
// Why: a socket read normally gets a fresh Buffer, whose memory lives outside V8's heap. A watch
// relayed at 150 MB/s allocated 150 MB/s of it, and V8 answers external memory growth with full
// collections: four mark-compacts per 30,000-event replay (`--trace-gc`: "external memory
// pressure"), about a fifth of the proxy's CPU on that path (`perf`). Views of reused slabs leave
// nothing for the collector.
//
// Invariants: each region handed out by next() lies in one slab, after every byte committed to it
// and never overlapping a view still held; a slab is only handed out again once it is retired (a
// region did not fit) and every view charged to it has been released. A region larger than a slab
// gets a slab of its own, never reused.

/** Bytes per slab for socket reads: room for several TLS records (at most 16 KiB of data each). */
export const READ_SLAB_BYTES = 128 * 1024;
/** The smallest region for a socket read: one whole TLS record (a smaller one only cuts it). */
export const MIN_READ_BYTES = 16 * 1024 + 256;
/**
 * Slabs a read arena keeps for reuse beyond the one being filled: a relay stops reading at 256 KiB
 * waiting for its client, so a busy stream has two or three in flight (at four, a first version
 * still allocated about 80 MB of slabs per replay, before that bound existed).
 */
export const READ_SPARE_SLABS = 8;

interface Slab {
  readonly bytes: Buffer;
  /** End of the committed bytes. */
  used: number;
  /** Views handed out by commit() not yet released. */
  held: number;
  /** No longer the slab regions come from; reusable once `held` is 0. */
  retired: boolean;
  readonly release: () => void;
}

export class SlabArena {
  readonly #slabBytes: number;
  readonly #maxSpare: number;
  #spare: Slab[] = [];
  #allocated = 0;
  #current: Slab;

  /** Memory kept is at most (1 + maxSpare) × slabBytes once views are released. */
  constructor(slabBytes = READ_SLAB_BYTES, maxSpare = READ_SPARE_SLABS) {
    this.#slabBytes = slabBytes;
    this.#maxSpare = maxSpare;
    this.#current = this.#newSlab(slabBytes);
  }

  /** Slabs allocated so far (tests and diagnosis). */
  get allocated(): number {
    return this.#allocated;
  }

  /** A region of at least `min` bytes for the next commit (a read's buffer, or a frame). */
  next(min = MIN_READ_BYTES): Buffer {
    let slab = this.#current;
    if (slab.bytes.length - slab.used < min) {
      slab.retired = true;
      if (slab.held === 0) this.#recycle(slab);
      slab =
        min > this.#slabBytes ? this.#newSlab(min) : (this.#spare.pop() ?? this.#newSlab(this.#slabBytes));
      slab.used = 0;
      slab.retired = false;
      this.#current = slab;
    }
    return slab.bytes.subarray(slab.used);
  }

  /**
   * The first `length` bytes of the region of next(), as a view charged to its slab: it stays
   * valid until `release` is called (once), and then must not be used.
   */
  commit(length: number): { bytes: Buffer; release: () => void } {
    const slab = this.#current;
    const bytes = slab.bytes.subarray(slab.used, slab.used + length);
    slab.used += length;
    slab.held++;
    return { bytes, release: slab.release };
  }

  #newSlab(size: number): Slab {
    this.#allocated++;
    const slab: Slab = {
      bytes: Buffer.allocUnsafeSlow(size),
      used: 0,
      held: 0,
      retired: false,
      release: () => {
        slab.held--;
        if (slab.held === 0 && slab.retired) this.#recycle(slab);
      },
    };
    return slab;
  }

  #recycle(slab: Slab): void {
    if (slab.bytes.length === this.#slabBytes && this.#spare.length < this.#maxSpare) this.#spare.push(slab);
  }
}
