import { describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../../kube/api/types.ts';
import { keyOf, pods } from '../persistence-test-fixtures.ts';
import type { StageMessage } from './persistence-protocol.ts';
import { stageUpserts } from './stage-upserts.ts';

const podsResource = { group: '', resource: 'pods' };

/** A clock that never moves: the budget is never spent. */
function options() {
  return {
    sliceSize: 10,
    budgetMs: 8,
    now: () => 0,
    yieldToPage: () => Promise.resolve(),
    onUnserializable: vi.fn(),
    onUnkeyable: vi.fn(),
  };
}

function recorder() {
  const posted: StageMessage[] = [];
  const objects = () => posted.flatMap((m) => m.items.map((json) => JSON.parse(json) as KubeObject));
  return { posted, objects, post: (message: StageMessage) => posted.push(message) };
}

describe('stageUpserts', () => {
  it('posts slices of sliceSize in order, yielding between slices once the budget is spent', async () => {
    const objs = pods(25);
    const { posted, objects, post } = recorder();
    const yieldToPage = vi.fn(() => Promise.resolve());
    // Each reading of the clock is 10 ms later: every slice after the first finds the 8 ms spent.
    let t = 0;
    const now = () => (t += 10);
    await stageUpserts(objs, podsResource, post, {
      sliceSize: 10,
      budgetMs: 8,
      now,
      yieldToPage,
      onUnserializable: vi.fn(),
      onUnkeyable: vi.fn(),
    });
    expect(posted.map((m) => m.items.length)).toEqual([10, 10, 5]);
    expect(objects()).toEqual(objs);
    // Each text goes with its object's namespace/name: the worker stores it under that key.
    expect(posted.flatMap((m) => m.keys)).toEqual(objs.map(keyOf));
    expect(yieldToPage).toHaveBeenCalledTimes(2);
    // A fast clock never spends the budget: no yield at all.
    await stageUpserts(pods(30), podsResource, post, { ...options(), yieldToPage });
    expect(yieldToPage).toHaveBeenCalledTimes(2);
    await stageUpserts([], podsResource, post, { ...options(), yieldToPage });
    expect(posted).toHaveLength(6);
  });

  it('BR-08: strips Secret values (data, stringData, last-applied) without touching the input', async () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 's',
        namespace: 'a',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'x', keep: 'y' },
      },
      data: { password: 'aHVudGVyMg==' },
      stringData: { password: 'hunter2' },
    };
    const { posted, objects, post } = recorder();
    await stageUpserts([secret], { group: '', resource: 'secrets' }, post, options());
    expect(posted[0]?.keys).toEqual(['a/s']);
    expect(JSON.stringify(posted)).not.toContain('hunter2');
    expect(JSON.stringify(posted)).not.toContain('aHVudGVyMg==');
    expect(objects()).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', namespace: 'a', annotations: { keep: 'y' } },
      },
    ]);
    expect(secret.data).toEqual({ password: 'aHVudGVyMg==' });
  });

  it('skips an object that cannot be stringified, keeping the rest of its slice', async () => {
    const cyclic: Record<string, unknown> = { metadata: { name: 'loop', namespace: 'a' } };
    cyclic.self = cyclic;
    const objs = [...pods(2), cyclic as KubeObject, ...pods(1)];
    const { objects, post } = recorder();
    const onUnserializable = vi.fn();
    await stageUpserts(objs, podsResource, post, { ...options(), onUnserializable });
    expect(objects()).toEqual([...pods(2), ...pods(1)]);
    expect(onUnserializable).toHaveBeenCalledTimes(1);
  });

  it('skips an object without metadata.name (it cannot be keyed), telling onUnkeyable', async () => {
    const unnamed: KubeObject = { kind: 'Pod', metadata: { namespace: 'a' } };
    const { posted, objects, post } = recorder();
    const onUnkeyable = vi.fn();
    await stageUpserts([unnamed, ...pods(2)], podsResource, post, { ...options(), onUnkeyable });
    expect(objects()).toEqual(pods(2));
    expect(onUnkeyable).toHaveBeenCalledTimes(1);
    // A slice with nothing left to send posts nothing.
    await stageUpserts([unnamed], podsResource, post, { ...options(), onUnkeyable });
    expect(posted).toHaveLength(1);
  });

  it('lets any other posting error through (the worker is gone)', async () => {
    const gone = new Error('gone');
    await expect(
      stageUpserts(
        pods(3),
        podsResource,
        () => {
          throw gone;
        },
        options(),
      ),
    ).rejects.toBe(gone);
  });
});
