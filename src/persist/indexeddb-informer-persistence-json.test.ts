// The pre-serialized write path (writeJson): what the persistence worker uses to store the page's
// JSON text without parsing it back into objects and serializing them again.
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import type { KubeObject } from '../kube/api/types.ts';
import { IndexedDbInformerPersistence } from './indexeddb-informer-persistence.ts';
import { CHUNKS, type ChunkRecord, INFORMER_CACHE_DB_NAME } from './informer-cache-schema.ts';
import type { JsonCacheDelta } from './pending-batch.ts';
import {
  keyFor,
  keyOf,
  pod,
  pods,
  podsKey,
  rawRecords,
  secretWithValues,
} from './persistence-test-fixtures.ts';

function setup(chunkSize = 100) {
  const factory = new IDBFactory();
  const warn = vi.fn();
  const persistence = new IndexedDbInformerPersistence({ indexedDB: factory, warn, chunkSize });
  return { factory, warn, persistence };
}

const entries = (objs: KubeObject[]): Array<[string, string]> =>
  objs.map((obj) => [keyOf(obj), JSON.stringify(obj)]);

async function storedItems(factory: IDBFactory): Promise<string[]> {
  const chunks = (await rawRecords(factory, INFORMER_CACHE_DB_NAME, CHUNKS)) as ChunkRecord[];
  return chunks.flatMap((chunk) => chunk.items);
}

describe('IndexedDbInformerPersistence.writeJson', () => {
  it('BR-08: round-trips a replace given as text, in key order, storing each text exactly as given', async () => {
    const { factory, persistence } = setup();
    const input = pods(250, '3');
    // Spaces after the colons: JSON.stringify would never write them, so finding them stored
    // proves the text was not parsed and serialized again.
    const upserts = input.map((obj): [string, string] => [keyOf(obj), JSON.stringify(obj, null, 1)]);
    await persistence.writeJson(podsKey, { resourceVersion: '40', upserts, deletes: [], replace: true });
    const stored = await storedItems(factory);
    expect(stored).toHaveLength(250);
    expect(new Set(stored)).toEqual(new Set(upserts.map(([, json]) => json)));
    const snapshot = await persistence.load(podsKey);
    expect(snapshot?.resourceVersion).toBe('40');
    expect(snapshot?.items.map(keyOf)).toEqual(input.map(keyOf).sort());
    const byKey = new Map(input.map((obj) => [keyOf(obj), obj]));
    for (const item of snapshot?.items ?? []) expect(item).toEqual(byKey.get(keyOf(item)));
  });

  it('BR-08: applies incremental text deltas on top of an object replace, and the reverse', async () => {
    const { persistence } = setup(10);
    const input = pods(40);
    await persistence.write(podsKey, { resourceVersion: '1', upserts: input, deletes: [], replace: true });
    const [first, second] = input.map(keyOf).sort();
    const changed = pod('ns-0', 'pod-00000', '2', { status: { phase: 'Running' } });
    await persistence.writeJson(podsKey, {
      resourceVersion: '2',
      upserts: entries([changed, pod('zz', 'new', '2')]),
      deletes: [second as string],
      replace: false,
    });
    await persistence.write(podsKey, {
      resourceVersion: '3',
      upserts: [],
      deletes: ['zz/new'],
      replace: false,
    });
    const snapshot = await persistence.load(podsKey);
    expect(snapshot?.resourceVersion).toBe('3');
    expect(snapshot?.items).toHaveLength(39);
    expect(first).toBe('ns-0/pod-00000');
    expect(snapshot?.items[0]).toEqual(changed);
    expect(snapshot?.items.map(keyOf)).not.toContain(second);
    expect(snapshot?.items.map(keyOf)).not.toContain('zz/new');
  });

  it('never stores Secret data from text, whether the resource is secrets or the text says kind Secret', async () => {
    const { factory, persistence } = setup();
    const secret = secretWithValues();
    const secretsKey = keyFor({ resource: 'secrets' });
    await persistence.writeJson(secretsKey, {
      resourceVersion: '1',
      upserts: entries([secret]),
      deletes: [],
      replace: true,
    });
    await persistence.writeJson(secretsKey, {
      resourceVersion: '2',
      upserts: entries([{ ...secret, metadata: { ...secret.metadata, name: 'token-2' } }]),
      deletes: [],
      replace: false,
    });
    // A Secret under another resource (a generic list, say) is recognised by its kind.
    const mentionsSecret = pod('ns', 'p', '1', {
      metadata: { name: 'p', namespace: 'ns', labels: { a: 'Secret' } },
    });
    const podText = JSON.stringify(mentionsSecret, null, 1);
    await persistence.writeJson(podsKey, {
      resourceVersion: '1',
      upserts: [...entries([secret]), ['ns/p', podText]],
      deletes: [],
      replace: true,
    });
    const stored = JSON.stringify(await storedItems(factory));
    expect(stored).not.toContain('czNjcjN0');
    expect(stored).not.toContain('hunter2');
    const loaded = await persistence.load(secretsKey);
    expect(loaded?.items.map((s) => [s.metadata?.name, s.type, s.data])).toEqual([
      ['token', 'Opaque', undefined],
      ['token-2', 'Opaque', undefined],
    ]);
    // Text that only mentions "Secret" was checked, found not to be one, and stored as given.
    expect(await storedItems(factory)).toContain(podText);
  });

  it('rejects a malformed delta with a TypeError; text that must be checked and does not parse is skipped with a warning', async () => {
    const { persistence, warn } = setup();
    const bad: JsonCacheDelta = {
      resourceVersion: '1',
      upserts: [['ns/a', 'not json']],
      deletes: [],
      replace: true,
    };
    await expect(persistence.writeJson(podsKey, bad)).rejects.toThrow(TypeError);
    await expect(
      persistence.writeJson({ ...podsKey, context: 5 } as unknown as typeof podsKey, {
        resourceVersion: '1',
        upserts: [],
        deletes: [],
        replace: true,
      }),
    ).rejects.toThrow(TypeError);
    await persistence.writeJson(keyFor({ resource: 'secrets' }), {
      resourceVersion: '1',
      upserts: [
        ['ns/broken', '{"kind":"Secret",}'],
        ['ns/fine', JSON.stringify(pod('ns', 'fine'))],
      ],
      deletes: [],
      replace: true,
    });
    const loaded = await persistence.load(keyFor({ resource: 'secrets' }));
    expect(loaded?.items.map(keyOf)).toEqual(['ns/fine']);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('could not serialize ns/broken'),
      expect.any(SyntaxError),
    );
  });
});
