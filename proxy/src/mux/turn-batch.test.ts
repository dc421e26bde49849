import { describe, expect, it } from 'vitest';
import { joinPieces, TurnBatch } from './turn-batch.ts';

/** Resolves after every setImmediate queued before this call has run (immediates run FIFO). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function recorder() {
  const flushes: { text: string; pieces: number; bytes: number }[] = [];
  const batch = new TurnBatch((pieces, bytes) => {
    flushes.push({ text: Buffer.concat(pieces).toString(), pieces: pieces.length, bytes });
  }, 64);
  return { flushes, batch };
}

describe('TurnBatch', () => {
  it('sends the pieces of one turn as one flush, in arrival order, at the end of that turn', async () => {
    const { flushes, batch } = recorder();
    batch.add(Buffer.from('a1'));
    batch.add(Buffer.from('b22'));
    batch.add(Buffer.from('c333'));
    expect(flushes).toEqual([]);
    expect(batch.pendingBytes).toBe(9);
    await nextTurn();
    expect(flushes).toEqual([{ text: 'a1b22c333', pieces: 3, bytes: 9 }]);
    expect(batch.pendingBytes).toBe(0);
  });

  it('never holds a piece past its own turn: a lone piece goes out before the next turn', async () => {
    const { flushes, batch } = recorder();
    batch.add(Buffer.from('first'));
    await nextTurn();
    batch.add(Buffer.from('second'));
    await nextTurn();
    expect(flushes.map((f) => f.text)).toEqual(['first', 'second']);
  });

  it('flushes at once when a batch reaches its size bound', async () => {
    const { flushes, batch } = recorder();
    batch.add(Buffer.alloc(40, 'x'));
    batch.add(Buffer.alloc(30, 'y'));
    expect(flushes.map((f) => f.bytes)).toEqual([70]);
    batch.add(Buffer.from('tail'));
    await nextTurn();
    expect(flushes.map((f) => f.bytes)).toEqual([70, 4]);
  });

  it('flush() sends early and the scheduled end-of-turn flush then has nothing to send', async () => {
    const { flushes, batch } = recorder();
    batch.add(Buffer.from('early'));
    batch.flush();
    expect(flushes.map((f) => f.text)).toEqual(['early']);
    await nextTurn();
    expect(flushes).toHaveLength(1);
  });

  it('after close() it keeps nothing and never flushes again', async () => {
    const { flushes, batch } = recorder();
    batch.add(Buffer.from('dropped'));
    batch.close();
    batch.add(Buffer.from('ignored'));
    batch.flush();
    await nextTurn();
    expect(flushes).toEqual([]);
    expect(batch.pendingBytes).toBe(0);
  });

  it('gives lent pieces back only after they were flushed or dropped, each release once', async () => {
    const { flushes, batch } = recorder();
    const released: string[] = [];
    batch.hold(() => released.push('nothing waiting'));
    expect(released).toEqual(['nothing waiting']);
    batch.add(Buffer.from('a'));
    batch.hold(() => released.push('a'));
    batch.add(Buffer.from('b'));
    batch.hold(() => released.push('b'));
    expect(released).toEqual(['nothing waiting']);
    await nextTurn();
    expect(flushes.map((f) => f.text)).toEqual(['ab']);
    expect(released).toEqual(['nothing waiting', 'a', 'b']);
    // Reaching the size bound flushes at once, and releases what was flushed.
    batch.add(Buffer.alloc(70, 'x'));
    batch.hold(() => released.push('big'));
    expect(released.at(-1)).toBe('big');
    batch.add(Buffer.from('cut'));
    batch.hold(() => released.push('cut'));
    batch.close();
    expect(released.at(-1)).toBe('cut');
    await nextTurn();
    expect(released).toEqual(['nothing waiting', 'a', 'b', 'big', 'cut']);
  });

  it('ignores empty pieces', async () => {
    const { flushes, batch } = recorder();
    batch.add(Buffer.alloc(0));
    await nextTurn();
    expect(flushes).toEqual([]);
  });

  it('refuses a size bound that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => new TurnBatch(() => {}, bad)).toThrow(RangeError);
    }
  });
});

describe('joinPieces', () => {
  it('returns a single piece itself and concatenates several', () => {
    const one = Buffer.from('only');
    expect(joinPieces([one], 4)).toBe(one);
    expect(joinPieces([Buffer.from('ab'), Buffer.from('cd')], 4).toString()).toBe('abcd');
  });
});
