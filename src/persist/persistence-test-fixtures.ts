// Fixtures shared by the IndexedDB persistence tests (not shipped code: imported only by tests).
import type { KubeObject } from '../kube/api/types.ts';
import type { CacheKey } from '../kube/cache/persistence.ts';
import { requestResult, transactionDone } from './idb-request.ts';
import { CHUNKS, INFORMER_CACHE_DB_NAME } from './informer-cache-schema.ts';

export const podsKey: CacheKey = {
  context: 'kind-a',
  server: 'https://127.0.0.1:6443',
  user: 'admin',
  group: '',
  version: 'v1',
  resource: 'pods',
  namespace: '',
  labelSelector: '',
  fieldSelector: '',
};

export function keyFor(overrides: Partial<CacheKey>): CacheKey {
  return { ...podsKey, ...overrides };
}

export function pod(
  namespace: string,
  name: string,
  rv = '1',
  extra: Record<string, unknown> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, resourceVersion: rv, uid: `${namespace}-${name}` },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox' }] },
    ...extra,
  };
}

/** count pods spread over a few namespaces, in no particular order. */
export function pods(count: number, rv = '1'): KubeObject[] {
  const out: KubeObject[] = [];
  for (let i = 0; i < count; i++)
    out.push(pod(`ns-${(i * 7) % 5}`, `pod-${String((i * 7919) % count).padStart(5, '0')}`, rv));
  return out;
}

export function keyOf(obj: KubeObject): string {
  return `${obj.metadata?.namespace}/${obj.metadata?.name}`;
}

/** Every record of an object store, read through a separate connection. */
export async function rawRecords(factory: IDBFactory, dbName: string, store: string): Promise<unknown[]> {
  const db = await requestResult(factory.open(dbName));
  try {
    return await requestResult(db.transaction(store, 'readonly').objectStore(store).getAll());
  } finally {
    db.close();
  }
}

/** A Secret with every field that must never reach storage (data, stringData, last-applied). */
export function secretWithValues(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      namespace: 'ns',
      name: 'token',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"t":"czNjcjN0"}}' },
    },
    type: 'Opaque',
    data: { t: 'czNjcjN0' },
    stringData: { plain: 'hunter2' },
  };
}

/** Damage the stored chunk at `index` behind the persistence's back: its items become unparsable. */
export async function damageChunk(factory: IDBFactory, index: number): Promise<void> {
  const db = await requestResult(factory.open(INFORMER_CACHE_DB_NAME));
  const tx = db.transaction(CHUNKS, 'readwrite');
  const chunks = (await requestResult(tx.objectStore(CHUNKS).getAll())) as Array<{ items: string[] }>;
  const damaged = chunks[index];
  if (!damaged) throw new Error(`no stored chunk ${index} to damage`);
  damaged.items = ['{not json'];
  tx.objectStore(CHUNKS).put(damaged);
  await transactionDone(tx);
  db.close();
}
