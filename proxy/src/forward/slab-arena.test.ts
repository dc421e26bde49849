import { describe, expect, it } from 'vitest';
import { READ_SLAB_BYTES, SlabArena } from './slab-arena.ts';

/** One simulated socket read of `n` bytes filled with `fill`, as onread does: next(), then commit. */
function read(slabs: SlabArena, n: number, fill: number) {
  const region = slabs.next();
  const size = Math.min(n, region.length);
  region.fill(fill, 0, size);
  return slabs.commit(size);
}

describe('SlabArena', () => {
  it('never hands out memory a held view still covers, and keeps the views intact', () => {
    const slabs = new SlabArena();
    const held: { bytes: Buffer; release: () => void; fill: number }[] = [];
    for (let i = 0; i < 2_000; i++) {
      const fill = i % 251;
      const v = read(slabs, 3_000 + ((i * 7919) % 20_000), fill);
      held.push({ ...v, fill });
      // Release out of order, keeping up to 40 views (several slabs' worth) alive at a time.
      if (held.length > 40) {
        const [gone] = held.splice((i * 31) % held.length, 1);
        if (gone) {
          expect(gone.bytes.every((b) => b === gone.fill)).toBe(true);
          gone.release();
        }
      }
    }
    for (const v of held) expect(v.bytes.every((b) => b === v.fill)).toBe(true);
  });

  it('reuses its slabs once their views are released: a steady relay allocates a bounded number', () => {
    const slabs = new SlabArena();
    const pending: (() => void)[] = [];
    for (let i = 0; i < 20_000; i++) {
      pending.push(read(slabs, 16_384, 1).release);
      // Writes complete in order, a few reads behind.
      if (pending.length > 12) pending.shift()?.();
    }
    // 20,000 reads of 16 KiB are 2,500 slabs' worth of bytes.
    expect(slabs.allocated).toBeLessThanOrEqual(4);
  });

  it('gives every read a region of at least one TLS record', () => {
    const slabs = new SlabArena();
    for (let i = 0; i < 100; i++) {
      const region = slabs.next();
      expect(region.length).toBeGreaterThanOrEqual(16 * 1024);
      expect(region.length).toBeLessThanOrEqual(READ_SLAB_BYTES);
      slabs.commit(Math.min(region.length, 10_000 + i)).release();
    }
  });

  it('hands out regions of any size for frames, a slab of their own when larger than one', () => {
    const arena = new SlabArena(1024);
    const small = arena.next(300);
    small.fill(7, 0, 300);
    const a = arena.commit(300);
    const big = arena.next(5000);
    expect(big.length).toBeGreaterThanOrEqual(5000);
    big.fill(9, 0, 5000);
    const b = arena.commit(5000);
    expect(a.bytes.every((x) => x === 7)).toBe(true);
    expect(b.bytes.every((x) => x === 9)).toBe(true);
    b.release();
    a.release();
    // The oversized slab is not kept: the next region comes from a slab of the arena's size.
    const next = arena.next(100);
    expect(next.length).toBeLessThanOrEqual(1024);
  });

  it('keeps at most maxSpare slabs besides the current one once everything is released', () => {
    const arena = new SlabArena(1024, 2);
    const held: (() => void)[] = [];
    // Ten slabs' worth held at once, then all released.
    for (let i = 0; i < 10; i++) {
      arena.next(1000);
      held.push(arena.commit(1000).release);
    }
    for (const release of held) release();
    const before = arena.allocated;
    // Two spares were kept: two more slabs can be filled and held without allocating...
    const again: (() => void)[] = [];
    for (let i = 0; i < 2; i++) {
      arena.next(1000);
      again.push(arena.commit(1000).release);
    }
    expect(arena.allocated).toBe(before);
    // ...and the next needs a new one (the others were let go).
    arena.next(1000);
    arena.commit(1000).release();
    expect(arena.allocated).toBe(before + 1);
    for (const release of again) release();
  });
});
