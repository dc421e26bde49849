import { describe, expect, it } from 'vitest';
import { ReadSlabs, SLAB_BYTES } from './read-slabs.ts';

/** One simulated socket read of `n` bytes filled with `fill`, as onread does: next(), then commit. */
function read(slabs: ReadSlabs, n: number, fill: number) {
  const region = slabs.next();
  const size = Math.min(n, region.length);
  region.fill(fill, 0, size);
  return slabs.commit(size);
}

describe('ReadSlabs', () => {
  it('never hands out memory a held view still covers, and keeps the views intact', () => {
    const slabs = new ReadSlabs();
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
    const slabs = new ReadSlabs();
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
    const slabs = new ReadSlabs();
    for (let i = 0; i < 100; i++) {
      const region = slabs.next();
      expect(region.length).toBeGreaterThanOrEqual(16 * 1024);
      expect(region.length).toBeLessThanOrEqual(SLAB_BYTES);
      slabs.commit(Math.min(region.length, 10_000 + i)).release();
    }
  });
});
