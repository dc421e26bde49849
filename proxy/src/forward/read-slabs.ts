// ReadSlabs: the memory a raw stream's socket reads into (net/tls `onread`), so that relaying a
// watch allocates nothing per read.
//
// Why: a socket read normally gets a fresh Buffer, whose memory lives outside V8's heap. A watch
// relayed at 150 MB/s allocated 150 MB/s of it, and V8 answers external memory growth with full
// collections: four mark-compacts per 30,000-event replay (`--trace-gc`: "external memory
// pressure"), about a fifth of the proxy's CPU on that path (`perf`). Reading into a few reused
// slabs leaves nothing for the collector.
//
// Invariants: each region handed out by next() lies in one slab, after every byte committed to it
// and never overlapping a view still held; a slab is only handed out again once it is full (no
// room for another read) and every view charged to it has been released.

/** Bytes per slab: room for several TLS records (at most 16 KiB of data each). */
export const SLAB_BYTES = 128 * 1024;
/** A slab with less room than this is full: a read into less would be cut short (still correct). */
const MIN_READ_BYTES = 16 * 1024 + 256;
/** Slabs kept for reuse beyond the one being filled. */
const MAX_SPARE_SLABS = 8;

interface Slab {
  readonly bytes: Buffer;
  /** End of the committed bytes. */
  used: number;
  /** Views handed out by commit() not yet released. */
  held: number;
  /** No longer the slab reads go into; reusable once `held` is 0. */
  retired: boolean;
  readonly release: () => void;
}

export class ReadSlabs {
  #spare: Slab[] = [];
  #allocated = 0;
  #current: Slab = this.#newSlab();

  /** Slabs allocated so far (tests and diagnosis). */
  get allocated(): number {
    return this.#allocated;
  }

  /** The region the next read goes into. */
  next(): Buffer {
    let slab = this.#current;
    if (slab.bytes.length - slab.used < MIN_READ_BYTES) {
      slab.retired = true;
      if (slab.held === 0) this.#recycle(slab);
      slab = this.#spare.pop() ?? this.#newSlab();
      slab.used = 0;
      slab.retired = false;
      this.#current = slab;
    }
    return slab.bytes.subarray(slab.used);
  }

  /**
   * The `nread` bytes just read into the region of next(), as a view charged to its slab: it stays
   * valid until `release` is called (once), and then must not be used.
   */
  commit(nread: number): { bytes: Buffer; release: () => void } {
    const slab = this.#current;
    const bytes = slab.bytes.subarray(slab.used, slab.used + nread);
    slab.used += nread;
    slab.held++;
    return { bytes, release: slab.release };
  }

  #newSlab(): Slab {
    this.#allocated++;
    const slab: Slab = {
      bytes: Buffer.allocUnsafeSlow(SLAB_BYTES),
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
    if (this.#spare.length < MAX_SPARE_SLABS) this.#spare.push(slab);
  }
}
