import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.ts';
import { FakeClock } from '../clock/fake-clock.ts';
import type { CacheDelta, CacheKey, InformerPersistence } from './persistence.ts';
import { flush } from './testing/flush.ts';
import { pod } from './testing/objects.ts';
import { WRITE_DUTY_FACTOR, WriteBehind } from './write-behind.ts';

const KEY = { context: 'c' } as CacheKey;

function recordingPersistence(hold = false) {
  const writes: CacheDelta[] = [];
  const releases: (() => void)[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const store: InformerPersistence = {
    load: async () => undefined,
    write: async <T extends KubeObject>(_k: CacheKey, delta: CacheDelta<T>) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      writes.push(delta as CacheDelta);
      if (hold) await new Promise<void>((r) => releases.push(r));
      inFlight--;
    },
    drop: async () => {},
    clearContext: async () => {},
  };
  return { store, writes, releases, maxInFlight: () => maxInFlight };
}

describe('WriteBehind (BR-08)', () => {
  it('batches changes per key into one delta per delay, the later change winning', async () => {
    const clock = new FakeClock();
    const p = recordingPersistence();
    let rv = '7';
    const wb = new WriteBehind<KubeObject>(
      p.store,
      KEY,
      { resourceVersion: () => rv, list: () => [] },
      { clock, delayMs: 100, fullRewrite: false, warn: () => {} },
    );
    wb.upsert('a/x', pod('a', 'x', '5'));
    wb.upsert('a/x', pod('a', 'x', '6'));
    wb.upsert('a/y', pod('a', 'y', '6'));
    wb.delete('a/y');
    wb.delete('a/z');
    rv = '8';
    await clock.advance(99);
    expect(p.writes).toHaveLength(0);
    await clock.advance(1);
    await flush();
    expect(p.writes).toEqual([
      { resourceVersion: '8', upserts: [pod('a', 'x', '6')], deletes: ['a/y', 'a/z'], replace: false },
    ]);
  });

  it('BR-08: after a relist (replaceAll) the next write replaces the whole store with the list', async () => {
    const clock = new FakeClock();
    const p = recordingPersistence();
    const listed = [pod('a', 'x', '9'), pod('a', 'w', '9')];
    const wb = new WriteBehind<KubeObject>(
      p.store,
      KEY,
      { resourceVersion: () => '9', list: () => listed },
      { clock, delayMs: 100, fullRewrite: false, warn: () => {} },
    );
    wb.upsert('a/x', pod('a', 'x', '8'));
    wb.delete('a/gone');
    wb.replaceAll();
    await clock.advance(100);
    await flush();
    expect(p.writes).toEqual([{ resourceVersion: '9', upserts: listed, deletes: [], replace: true }]);
    // Afterwards it is incremental again.
    wb.upsert('a/x', pod('a', 'x', '10'));
    await clock.advance(100);
    await flush();
    expect(p.writes[1]).toMatchObject({ replace: false, upserts: [pod('a', 'x', '10')] });
  });

  it('never has two writes in flight', async () => {
    const clock = new FakeClock();
    const p = recordingPersistence(true);
    const wb = new WriteBehind<KubeObject>(
      p.store,
      KEY,
      { resourceVersion: () => '1', list: () => [] },
      { clock, fullRewrite: false, warn: () => {} },
    );
    wb.upsert('a/x', pod('a', 'x', '1'));
    const first = wb.flush();
    wb.upsert('a/y', pod('a', 'y', '1'));
    const second = wb.flush();
    await flush();
    expect(p.writes).toHaveLength(1);
    p.releases.shift()!();
    await first;
    await flush();
    expect(p.writes).toHaveLength(2);
    p.releases.shift()!();
    await second;
    expect(p.maxInFlight()).toBe(1);
  });

  it('waits for a resourceVersion, rewrites everything when asked, and survives failing writes', async () => {
    const clock = new FakeClock();
    const p = recordingPersistence();
    const warnings: string[] = [];
    let rv = '';
    const items = [pod('a', 'x', '1')];
    const wb = new WriteBehind<KubeObject>(
      p.store,
      KEY,
      { resourceVersion: () => rv, list: () => items },
      { clock, delayMs: 10, fullRewrite: true, warn: (m) => warnings.push(m) },
    );
    wb.upsert('a/x', items[0]!);
    await clock.advance(10);
    expect(p.writes).toHaveLength(0); // no RV yet: re-armed
    rv = '3';
    await clock.advance(10);
    await flush();
    expect(p.writes).toEqual([{ resourceVersion: '3', upserts: items, deletes: [], replace: true }]);
    p.store.write = async () => {
      throw new Error('quota');
    };
    wb.delete('a/x');
    await wb.flush();
    expect(warnings).toEqual(['persisting the informer cache failed']);
    wb.upsert('a/q', pod('a', 'q', '1'));
    wb.dispose();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('BR-08: stretches the delay to WRITE_DUTY_FACTOR × the last write, within [delayMs, maxDelayMs]', async () => {
    const clock = new FakeClock();
    const p = recordingPersistence(true);
    const wb = new WriteBehind<KubeObject>(
      p.store,
      KEY,
      { resourceVersion: () => '1', list: () => [] },
      { clock, delayMs: 100, maxDelayMs: 5_000, fullRewrite: false, warn: () => {} },
    );
    expect(wb.nextDelayMs()).toBe(100);
    wb.upsert('a/x', pod('a', 'x', '1'));
    await clock.advance(100);
    await flush();
    expect(p.writes).toHaveLength(1);
    // The write takes 200 ms: the next delay becomes 9 × 200 = 1,800 ms.
    await clock.advance(200);
    p.releases.shift()!();
    await flush();
    expect(wb.nextDelayMs()).toBe(WRITE_DUTY_FACTOR * 200);
    wb.upsert('a/y', pod('a', 'y', '1'));
    await clock.advance(1_799);
    expect(p.writes).toHaveLength(1);
    await clock.advance(1);
    await flush();
    expect(p.writes).toHaveLength(2);
    // A 2 s write would ask for 18 s: capped at maxDelayMs.
    await clock.advance(2_000);
    p.releases.shift()!();
    await flush();
    expect(wb.nextDelayMs()).toBe(5_000);
    // A fast write brings it back down, never below delayMs.
    wb.upsert('a/z', pod('a', 'z', '1'));
    await clock.advance(5_000);
    await flush();
    p.releases.shift()!();
    await flush();
    expect(p.writes).toHaveLength(3);
    expect(wb.nextDelayMs()).toBe(100);
  });

  it('BR-08: a timer that fires during a write waits for it and writes everything meanwhile as one delta', async () => {
    const clock = new FakeClock();
    const p = recordingPersistence(true);
    const wb = new WriteBehind<KubeObject>(
      p.store,
      KEY,
      { resourceVersion: () => '1', list: () => [] },
      { clock, delayMs: 100, fullRewrite: false, warn: () => {} },
    );
    wb.upsert('a/x', pod('a', 'x', '1'));
    const first = wb.flush(); // held in flight
    await flush();
    wb.upsert('a/y', pod('a', 'y', '1'));
    await clock.advance(100); // the timer fires during the write
    wb.upsert('a/y', pod('a', 'y', '2'));
    wb.upsert('a/z', pod('a', 'z', '1'));
    await clock.advance(1_000);
    await flush();
    expect(p.writes).toHaveLength(1);
    expect(clock.pendingTimers()).toBe(0); // no second timer while one flush is already scheduled
    p.releases.shift()!();
    await first;
    await flush();
    expect(p.writes).toHaveLength(2);
    expect(p.writes[1]?.upserts).toEqual([pod('a', 'y', '2'), pod('a', 'z', '1')]);
    p.releases.shift()!();
    await flush();
    expect(p.maxInFlight()).toBe(1);
  });
});
