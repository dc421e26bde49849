// Fixtures shared by the IndexedDB persistence tests (not shipped code: imported only by tests).
import type { KubeObject } from '../kube/api/types.ts';
import type { CacheKey } from '../kube/cache/persistence.ts';
import { requestResult } from './idb-request.ts';

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
