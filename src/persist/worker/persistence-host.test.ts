import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../kube/api/types.ts';
import { IndexedDbInformerPersistence } from '../indexeddb-informer-persistence.ts';
import { CHUNKS, type ChunkRecord, INFORMER_CACHE_DB_NAME } from '../informer-cache-schema.ts';
import { PersistenceNotices } from '../persistence-notices.ts';
import { keyOf, pods, podsKey, rawRecords } from '../persistence-test-fixtures.ts';
import { type HostEndpoint, servePersistence } from './persistence-host.ts';
import type { WorkerMessage } from './persistence-protocol.ts';

/** An endpoint driven by hand: the test delivers requests and reads what the host posted. */
function endpoint() {
  const posted: WorkerMessage[] = [];
  let listener: ((event: { data: unknown }) => void) | undefined;
  const ep: HostEndpoint = {
    postMessage: (message) => posted.push(structuredClone(message)),
    addEventListener: (_type, fn) => {
      listener = fn;
    },
  };
  return {
    ep,
    posted,
    deliver(data: unknown) {
      if (!listener) throw new Error('the host did not listen');
      listener({ data: structuredClone(data) });
    },
    async reply(id: number): Promise<WorkerMessage> {
      for (let i = 0; i < 200; i++) {
        const found = posted.find((m) => m.type === 'reply' && m.id === id);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`no reply to request ${id}`);
    },
  };
}

/** A stage message as the page posts it: each object's key and JSON text. */
function stageOf(objs: KubeObject[]) {
  return { op: 'stage', keys: objs.map(keyOf), items: objs.map((obj) => JSON.stringify(obj)) };
}

function host(options: { chunkSize?: number; notices?: PersistenceNotices; indexedDB?: IDBFactory } = {}) {
  const e = endpoint();
  const persistence = new IndexedDbInformerPersistence({
    indexedDB: 'indexedDB' in options ? options.indexedDB : new IDBFactory(),
    chunkSize: options.chunkSize ?? 100,
    warn: () => {},
    ...(options.notices ? { notices: options.notices } : {}),
  });
  servePersistence(e.ep, persistence, options.notices ? { notices: options.notices } : {});
  return { ...e, persistence };
}

describe('servePersistence', () => {
  it('posts ready first, before any reply', async () => {
    const h = host();
    expect(h.posted).toEqual([{ type: 'ready' }]);
    h.deliver({ id: 1, op: 'flush' });
    expect(await h.reply(1)).toEqual({ type: 'reply', id: 1, ok: true, value: null });
  });

  it("answers a load with each chunk's stored texts, cut to a finite limit", async () => {
    const h = host({ chunkSize: 10 });
    const input = pods(35);
    h.deliver(stageOf(input.slice(0, 20)));
    h.deliver(stageOf(input.slice(20)));
    h.deliver({ id: 1, op: 'write', key: podsKey, resourceVersion: '5', deletes: [], replace: true });
    h.deliver({ id: 2, op: 'load', key: podsKey, limit: 12 });
    h.deliver({ id: 3, op: 'load', key: podsKey, limit: null });
    const first = await h.reply(2);
    const all = await h.reply(3);
    if (first.type !== 'reply' || !first.ok || !first.value) throw new Error('load 2 failed');
    if (all.type !== 'reply' || !all.ok || !all.value) throw new Error('load 3 failed');
    expect(first.value.count).toBe(35);
    expect(first.value.chunks).toHaveLength(2);
    expect(first.value.chunks.map((items) => items.length)).toEqual([10, 2]);
    const firstObjects = first.value.chunks.flat().map((json) => JSON.parse(json) as KubeObject);
    expect(firstObjects.map(keyOf)).toEqual(input.map(keyOf).sort().slice(0, 12));
    expect(all.value.resourceVersion).toBe('5');
    expect(all.value.chunks).toHaveLength(4);
    expect(all.value.chunks.flat()).toHaveLength(35);
    h.deliver({ id: 4, op: 'load', key: { ...podsKey, namespace: 'none' }, limit: null });
    expect(await h.reply(4)).toEqual({ type: 'reply', id: 4, ok: true, value: null });
  });

  it('stores the staged texts exactly as posted, and still never stores Secret values (BR-08)', async () => {
    const factory = new IDBFactory();
    const h = host({ indexedDB: factory });
    const input = pods(3);
    // Not JSON.stringify's layout: stored as is only if nothing parsed and re-serialized it.
    const texts = input.map((obj) => JSON.stringify(obj, null, 2));
    h.deliver({ op: 'stage', keys: input.map(keyOf), items: texts });
    h.deliver({ id: 1, op: 'write', key: podsKey, resourceVersion: '5', deletes: [], replace: true });
    expect(await h.reply(1)).toMatchObject({ ok: true });
    const stored = (await rawRecords(factory, INFORMER_CACHE_DB_NAME, CHUNKS)) as ChunkRecord[];
    expect(new Set(stored.flatMap((c) => c.items))).toEqual(new Set(texts));
    // A page that forgot to strip a Secret: the worker's persistence strips it before storing.
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace: 'a', name: 's' },
      data: { k: 'c2VjcmV0' },
    };
    const secretsKey = { ...podsKey, resource: 'secrets' };
    h.deliver(stageOf([secret]));
    h.deliver({ id: 2, op: 'write', key: secretsKey, resourceVersion: '1', deletes: [], replace: true });
    expect(await h.reply(2)).toMatchObject({ ok: true });
    const chunks = (await rawRecords(factory, INFORMER_CACHE_DB_NAME, CHUNKS)) as ChunkRecord[];
    const items = chunks.flatMap((c) => c.items);
    expect(items).toContain('{"apiVersion":"v1","kind":"Secret","metadata":{"namespace":"a","name":"s"}}');
    expect(items.join('')).not.toContain('c2VjcmV0');
  });

  it('answers malformed requests with an error reply, never by throwing', async () => {
    const h = host();
    h.deliver({ id: 1, op: 'explode' });
    h.deliver(stageOf(pods(1)));
    h.deliver({ id: 2, op: 'flush' }); // only a write may follow staged objects
    h.deliver({ id: 3, op: 'load', key: { ...podsKey, user: 7 }, limit: null });
    h.deliver({ id: 4, op: 'write', key: podsKey, resourceVersion: 9, deletes: [], replace: true });
    h.deliver({ op: 'stage', keys: ['a/b'], items: [] });
    h.deliver(stageOf(pods(2)));
    h.deliver({ id: 7, op: 'write', key: podsKey, resourceVersion: '1', deletes: [], replace: true });
    h.deliver({ op: 'stage', keys: ['a/b'], items: ['{"unterminated'] });
    h.deliver({ id: 8, op: 'write', key: podsKey, resourceVersion: '1', deletes: [], replace: true });
    h.deliver({ op: 'stage', text: JSON.stringify(pods(1)) }); // the old shape
    h.deliver({ id: 9, op: 'write', key: podsKey, resourceVersion: '1', deletes: [], replace: true });
    const errors = await Promise.all([1, 2, 3, 4, 7, 8, 9].map((id) => h.reply(id)));
    expect(errors.map((m) => m.type === 'reply' && !m.ok && m.error.name)).toEqual([
      'TypeError',
      'TypeError',
      'TypeError',
      'TypeError',
      'TypeError',
      'TypeError',
      'TypeError',
    ]);
    // The rejected flush dropped the staged object: a later write does not pick it up.
    h.deliver({ id: 5, op: 'write', key: podsKey, resourceVersion: '2', deletes: [], replace: true });
    h.deliver({ id: 6, op: 'load', key: podsKey, limit: null });
    const loaded = await h.reply(6);
    expect(loaded.type === 'reply' && loaded.ok && loaded.value?.count).toBe(0);
    // A message without an id cannot be answered: it is reported instead.
    h.deliver({ op: 'flush' });
    h.deliver(null);
    expect(h.posted.filter((m) => m.type === 'warn')).toHaveLength(2);
  });

  it('forwards notices reported before and after it started, each once', async () => {
    const notices = new PersistenceNotices();
    notices.report('memory-only', 'full');
    const h = host({ notices, indexedDB: undefined });
    // No IndexedDB: the first request that needs the database reports 'unavailable'.
    h.deliver({ id: 1, op: 'load', key: podsKey, limit: null });
    expect(await h.reply(1)).toEqual({ type: 'reply', id: 1, ok: true, value: null });
    notices.report('memory-only', 'again');
    expect(h.posted.filter((m) => m.type === 'notice').map((m) => m.type === 'notice' && m.kind)).toEqual([
      'memory-only',
      'unavailable',
    ]);
  });
});
