import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/kube/api/types.ts';
import { bumpRestarts, COMMITTED_AT_ANNOTATION } from './restart-bump.ts';

const pod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'shop', resourceVersion: '42', annotations: { keep: 'me' } },
  status: {
    phase: 'Running',
    containerStatuses: [
      { name: 'app', restartCount: 2 },
      { name: 'side', restartCount: 7 },
    ],
  },
});

describe('bumpRestarts', () => {
  it('raises the first container restart count by one and stamps the commit time', () => {
    const { pod: next, bumped } = bumpRestarts(pod(), 1_700_000_000_123);
    expect(bumped).toBe(true);
    const statuses = (next.status as { containerStatuses: { restartCount: number }[] }).containerStatuses;
    expect(statuses.map((c) => c.restartCount)).toEqual([3, 7]);
    expect(next.metadata?.annotations).toEqual({ keep: 'me', [COMMITTED_AT_ANNOTATION]: '1700000000123' });
    expect(next.metadata?.resourceVersion).toBeUndefined();
    expect(next.metadata?.name).toBe('web-0');
  });

  it('leaves its input untouched, even when its parts are frozen', () => {
    const before = pod();
    const deepFreeze = (v: unknown): void => {
      if (typeof v !== 'object' || v === null) return;
      for (const x of Object.values(v)) deepFreeze(x);
      Object.freeze(v);
    };
    deepFreeze(before);
    const { pod: next } = bumpRestarts(before, 1);
    expect(before).toEqual(pod());
    // Bumped twice from the copy: each version keeps its own count.
    const again = bumpRestarts(next, 2).pod;
    const counts = (p: KubeObject) =>
      (p.status as { containerStatuses: { restartCount: number }[] }).containerStatuses[0]?.restartCount;
    expect([counts(before), counts(next), counts(again)]).toEqual([2, 3, 4]);
  });

  it('treats a missing restart count as zero', () => {
    const p: KubeObject = { metadata: { name: 'a' }, status: { containerStatuses: [{ name: 'c' }] } };
    const status = bumpRestarts(p, 5).pod.status as { containerStatuses: { restartCount: number }[] };
    expect(status.containerStatuses[0]?.restartCount).toBe(1);
  });

  it('only stamps pods without container statuses, and says so', () => {
    for (const status of [undefined, {}, { containerStatuses: [] }, { containerStatuses: 'bad' }]) {
      const { pod: next, bumped } = bumpRestarts({ metadata: { name: 'p' }, status }, 9);
      expect(bumped).toBe(false);
      expect(next.metadata?.annotations?.[COMMITTED_AT_ANNOTATION]).toBe('9');
    }
  });
});
