import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.ts';
import { DeltaFIFO, type Deltas, newestDelta, oldestDelta } from './delta-fifo.ts';
import { IndexerCache } from './indexer.ts';
import { DeletedFinalStateUnknown } from './store.ts';
import { pod, rvOf } from './testing/objects.ts';

function summary(deltas: Deltas): string[] {
  return deltas.map((d) => {
    const o = d.object;
    if (o instanceof DeletedFinalStateUnknown)
      return `${d.type}:tombstone(${o.key},${rvOf(o.obj ?? undefined) ?? 'null'})`;
    return `${d.type}:${rvOf(o)}`;
  });
}

async function popOne(fifo: DeltaFIFO): Promise<{ key: string; deltas: Deltas; initial: boolean }> {
  let out: { key: string; deltas: Deltas; initial: boolean } | undefined;
  const ok = await fifo.pop((deltas, initial) => {
    out = { key: fifo.keyOf(deltas), deltas, initial };
  });
  if (!ok || !out) throw new Error('fifo closed');
  return out;
}

describe('DeltaFIFO', () => {
  it('DF-01/DF-02/DF-10: accumulates deltas per key, oldest first, in first-arrival order', async () => {
    const fifo = new DeltaFIFO();
    fifo.add(pod('a', 'x', '1'));
    fifo.add(pod('a', 'y', '2'));
    fifo.update(pod('a', 'x', '3'));
    expect(fifo.listKeys()).toEqual(['a/x', 'a/y']);
    const first = await popOne(fifo);
    expect(first.key).toBe('a/x');
    expect(summary(first.deltas)).toEqual(['Added:1', 'Updated:3']);
    expect(rvOf(oldestDelta(first.deltas)?.object as KubeObject)).toBe('1');
    expect(rvOf(newestDelta(first.deltas)?.object as KubeObject)).toBe('3');
    expect((await popOne(fifo)).key).toBe('a/y');
    expect(fifo.length).toBe(0);
  });

  it('DF-04: two trailing deletes merge, keeping the older unless it is a tombstone', () => {
    const fifo = new DeltaFIFO();
    fifo.add(pod('a', 'x', '1'));
    fifo.delete(pod('a', 'x', '2'));
    fifo.delete(pod('a', 'x', '3'));
    expect(summary(fifo.getByKey('a/x')!)).toEqual(['Added:1', 'Deleted:2']);
    const fifo2 = new DeltaFIFO();
    fifo2.add(pod('a', 'x', '1'));
    fifo2.delete(new DeletedFinalStateUnknown('a/x', pod('a', 'x', '1')));
    fifo2.delete(pod('a', 'x', '4'));
    expect(summary(fifo2.getByKey('a/x')!)).toEqual(['Added:1', 'Deleted:4']);
  });

  it('DF-05: delete is ignored when nothing knows the key', () => {
    const plain = new DeltaFIFO();
    plain.delete(pod('a', 'x', '1'));
    expect(plain.length).toBe(0);
    const known = new IndexerCache();
    known.add(pod('a', 'k', '1'));
    const fifo = new DeltaFIFO({ knownObjects: known });
    fifo.delete(pod('a', 'unknown', '1'));
    fifo.delete(pod('a', 'k', '2'));
    expect(fifo.listKeys()).toEqual(['a/k']);
  });

  it('DF-06: replace queues Replaced, tombstones queued and known keys missing from the list', () => {
    const known = new IndexerCache();
    known.add(pod('a', 'kept', '1'));
    known.add(pod('a', 'gone', '1'));
    const fifo = new DeltaFIFO({ knownObjects: known, emitDeltaTypeReplaced: true });
    fifo.add(pod('a', 'queued', '2'));
    fifo.delete(new DeletedFinalStateUnknown('a/queued2', pod('a', 'queued2', '1')));
    fifo.replace([pod('a', 'kept', '5')], '5');
    expect(summary(fifo.getByKey('a/kept')!)).toEqual(['Replaced:5']);
    expect(summary(fifo.getByKey('a/queued')!)).toEqual(['Added:2', 'Deleted:tombstone(a/queued,2)']);
    expect(summary(fifo.getByKey('a/gone')!)).toEqual(['Deleted:tombstone(a/gone,1)']);
    const legacy = new DeltaFIFO();
    legacy.replace([pod('a', 'x', '1')], '1');
    expect(summary(legacy.getByKey('a/x')!)).toEqual(['Sync:1']);
  });

  it('DF-06 step 2: a queued tombstone contributes its inner object', () => {
    const known = new IndexerCache();
    known.add(pod('a', 'x', '1'));
    const fifo = new DeltaFIFO({ knownObjects: known, emitDeltaTypeReplaced: true });
    fifo.delete(pod('a', 'x', '2'));
    fifo.replace([], '3');
    // The second delete (tombstone) merges into the first (DF-04 keeps the older, real one).
    expect(summary(fifo.getByKey('a/x')!)).toEqual(['Deleted:2']);
    const fifo2 = new DeltaFIFO({ knownObjects: new IndexerCache(), emitDeltaTypeReplaced: true });
    fifo2.add(pod('a', 'y', '1'));
    fifo2.replace([], '2');
    fifo2.replace([], '3');
    expect(summary(fifo2.getByKey('a/y')!)).toEqual(['Added:1', 'Deleted:tombstone(a/y,1)']);
  });

  it('DF-07: resync queues Sync only for known keys with nothing pending', () => {
    const known = new IndexerCache();
    known.add(pod('a', 'x', '1'));
    known.add(pod('a', 'y', '1'));
    const fifo = new DeltaFIFO({ knownObjects: known });
    fifo.update(pod('a', 'y', '2'));
    fifo.resync();
    expect(summary(fifo.getByKey('a/x')!)).toEqual(['Sync:1']);
    expect(summary(fifo.getByKey('a/y')!)).toEqual(['Updated:2']);
    expect(() => new DeltaFIFO().resync()).not.toThrow();
  });

  it('DF-08/BR-01: a pending pop waits, runs process synchronously, and resolves false on close', async () => {
    const fifo = new DeltaFIFO();
    const seen: string[] = [];
    const pending = fifo.pop((d) => {
      // A mutation attempted "during" process lands after it: process ran atomically.
      seen.push(`process ${fifo.keyOf(d)} len=${fifo.length}`);
    });
    fifo.add(pod('a', 'x', '1'));
    fifo.add(pod('a', 'y', '1'));
    expect(await pending).toBe(true);
    expect(seen).toEqual(['process a/x len=1']);
    const waiting = fifo.pop(() => seen.push('second'));
    fifo.close();
    expect(await waiting).toBe(true); // already-queued items still drain after close
    expect(await fifo.pop(() => seen.push('never'))).toBe(false);
    expect(seen).toEqual(['process a/x len=1', 'second']);
  });

  it('DF-08: a throwing process rejects pop and the item is not requeued', async () => {
    const fifo = new DeltaFIFO();
    fifo.add(pod('a', 'x', '1'));
    await expect(
      fifo.pop(() => {
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(fifo.length).toBe(0);
  });

  it('DF-09: the transformer runs on queued objects but not on Sync or tombstones', () => {
    const known = new IndexerCache();
    known.add(pod('a', 'k', '1'));
    let calls = 0;
    const fifo = new DeltaFIFO({
      knownObjects: known,
      transformer: (o) => {
        calls++;
        return { ...o, transformed: true };
      },
    });
    fifo.add(pod('a', 'x', '1'));
    fifo.resync();
    fifo.delete(new DeletedFinalStateUnknown('a/k', null));
    expect(calls).toBe(1);
    expect(fifo.getByKey('a/x')![0]!.object).toMatchObject({ transformed: true });
  });

  it('DF-12: hasSynced latches after the first replace batch is popped', async () => {
    const fifo = new DeltaFIFO({ emitDeltaTypeReplaced: true });
    expect(fifo.hasSynced()).toBe(false);
    fifo.replace([pod('a', 'x', '1'), pod('a', 'y', '1')], '1');
    expect(fifo.hasSynced()).toBe(false);
    expect((await popOne(fifo)).initial).toBe(true);
    expect(fifo.hasSynced()).toBe(false);
    expect((await popOne(fifo)).initial).toBe(true);
    expect(fifo.hasSynced()).toBe(true);
    fifo.replace([pod('a', 'z', '2')], '2');
    expect(fifo.hasSynced()).toBe(true);
    expect((await popOne(fifo)).initial).toBe(false);
    const early = new DeltaFIFO();
    early.add(pod('a', 'x', '1'));
    expect(early.hasSynced()).toBe(true);
  });

  it('DF-13: tombstones keep their key through keyOf', () => {
    const fifo = new DeltaFIFO();
    expect(fifo.keyOf(new DeletedFinalStateUnknown('ns/name', null))).toBe('ns/name');
    expect(() => fifo.keyOf([])).toThrow('zero-length Deltas');
  });

  it('keeps FIFO order across queue compaction', async () => {
    const fifo = new DeltaFIFO();
    for (let i = 0; i < 3000; i++) fifo.add(pod('a', `p${i}`, '1'));
    const order: string[] = [];
    for (let i = 0; i < 2500; i++) await fifo.pop((d) => order.push(fifo.keyOf(d)));
    for (let i = 3000; i < 3010; i++) fifo.add(pod('a', `p${i}`, '1'));
    while (fifo.length > 0) await fifo.pop((d) => order.push(fifo.keyOf(d)));
    expect(order).toEqual(Array.from({ length: 3010 }, (_, i) => `a/p${i}`));
  });
});
