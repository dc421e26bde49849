import { describe, expect, it } from 'vitest';
import { MemorySimWriter } from './sim-writer.ts';
import { SimStatusError } from './status.ts';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };

function statusOf(fn: () => unknown): { code: number; reason: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof SimStatusError) return { code: err.code, reason: err.reason };
    throw err;
  }
  throw new Error('expected a SimStatusError');
}

describe('MemorySimWriter', () => {
  it('assigns uid and increasing resourceVersions, keeping a backdated creationTimestamp', () => {
    const w = new MemorySimWriter(() => Date.parse('2024-01-02T00:00:00Z'));
    const a = w.create(PODS, {
      metadata: { name: 'a', namespace: 'ns', creationTimestamp: '2023-01-01T00:00:00Z' },
    });
    const b = w.create(PODS, { metadata: { name: 'b', namespace: 'ns' } });
    expect(a.metadata?.uid).not.toBe(b.metadata?.uid);
    expect(Number(b.metadata?.resourceVersion)).toBeGreaterThan(Number(a.metadata?.resourceVersion));
    expect(a.metadata?.creationTimestamp).toBe('2023-01-01T00:00:00Z');
    expect(b.metadata?.creationTimestamp).toBe('2024-01-02T00:00:00Z');
  });

  it('answers AlreadyExists, NotFound, Conflict and BadRequest like the apiserver', () => {
    const w = new MemorySimWriter();
    const a = w.create(PODS, { metadata: { name: 'a', namespace: 'ns' } });
    expect(statusOf(() => w.create(PODS, { metadata: { name: 'a', namespace: 'ns' } }))).toEqual({
      code: 409,
      reason: 'AlreadyExists',
    });
    expect(statusOf(() => w.update(PODS, { metadata: { name: 'zz', namespace: 'ns' } }))).toEqual({
      code: 404,
      reason: 'NotFound',
    });
    const stale = { metadata: { ...a.metadata, resourceVersion: '0' } };
    expect(statusOf(() => w.update(PODS, stale))).toEqual({ code: 409, reason: 'Conflict' });
    expect(statusOf(() => w.create(PODS, { metadata: {} }))).toEqual({ code: 400, reason: 'BadRequest' });
  });

  it('updates, lists by namespace and deletes', () => {
    const w = new MemorySimWriter();
    const a = w.create(PODS, { metadata: { name: 'a', namespace: 'x' } });
    w.create(PODS, { metadata: { name: 'b', namespace: 'y' } });
    w.create(NODES, { metadata: { name: 'n1' } });
    const updated = w.update(PODS, { ...structuredClone(a), spec: { nodeName: 'n1' } });
    expect(updated.metadata?.uid).toBe(a.metadata?.uid);
    expect(w.get(PODS, 'x', 'a')?.spec).toEqual({ nodeName: 'n1' });
    expect(
      w
        .list(PODS)
        .map((p) => p.metadata?.name)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(w.list(PODS, 'y').map((p) => p.metadata?.name)).toEqual(['b']);
    expect(w.get(NODES, '', 'n1')?.metadata?.name).toBe('n1');
    expect(w.delete(PODS, 'x', 'a')?.metadata?.name).toBe('a');
    expect(w.delete(PODS, 'x', 'a')).toBeUndefined();
    expect(w.get(PODS, 'x', 'a')).toBeUndefined();
  });
});
