// The narrow, synchronous write handle through which the simulated cluster's seed data and churn
// engine (seed.ts, churn.ts) change the cluster. The engine (storage + watch) implements it; seed and
// churn never see storage internals, and tests can back it with a plain Map.
//
// Types come from the SPA's API contract as `import type` only: they are erased at compile time,
// so the proxy never loads code from src/ (style section 2: proxy never imports src/ at runtime).
import type { GroupVersionResource, KubeObject } from '../../../src/kube/api/types.ts';
import { alreadyExists, badRequest, conflict, notFound } from './status.ts';

export type { GroupVersionResource, KubeObject };

/**
 * Synchronous writes against the simulated cluster's store, with the same semantics as the
 * corresponding API verbs: the engine assigns metadata.uid, creationTimestamp, generation and the
 * global resourceVersion, and every successful write is seen by watchers exactly as an HTTP write
 * would be.
 *
 * Errors: every failure is thrown as the engine's Status error (`SimStatusError` from status.ts, an
 * Error carrying a metav1.Status) with the reason and code an apiserver would use: AlreadyExists/409 from create, NotFound/404 from update of
 * a missing object, Conflict/409 from update when obj.metadata.resourceVersion is set and stale,
 * Invalid/422 or BadRequest/400 for a malformed object, NotFound/404 for an unknown resource.
 * Callers must not rely on anything but `code` and `reason`.
 *
 * Backdating: create() keeps a metadata.creationTimestamp the caller already set (the seed data
 * spreads creation times over past weeks); only an HTTP create must overwrite it.
 *
 * Misuse: objects returned by get/list are the store's own and must be treated as read-only; copy
 * (structuredClone) before changing one and write it back through update(). Objects passed to
 * create/update become the store's: do not change them afterwards.
 */
export interface SimWriter {
  /** Store a new object. For namespaced resources obj.metadata.namespace must be set. Returns the stored object. */
  create(gvr: GroupVersionResource, obj: KubeObject): KubeObject;
  /**
   * Replace an existing object (PUT semantics). An empty/absent metadata.resourceVersion means an
   * unconditional update; a set one must equal the stored one (optimistic concurrency, TE-10).
   */
  update(gvr: GroupVersionResource, obj: KubeObject): KubeObject;
  /** Remove an object; returns the deleted object, or undefined when it did not exist. Namespace "" for cluster-scoped. */
  delete(gvr: GroupVersionResource, namespace: string, name: string): KubeObject | undefined;
  /** Read one object, or undefined when absent. Namespace "" for cluster-scoped. */
  get(gvr: GroupVersionResource, namespace: string, name: string): KubeObject | undefined;
  /** Every object of the resource, optionally restricted to one namespace. Order is unspecified. */
  list(gvr: GroupVersionResource, namespace?: string): KubeObject[];
}

function keyOf(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.resource}`;
}

/**
 * A minimal in-memory SimWriter: the reference semantics of the interface without watch, field
 * defaulting or discovery. For unit tests and tools that need a cluster-shaped store, not a server.
 * Namespaced and cluster-scoped resources share one code path: namespace "" means cluster-scoped.
 */
export class MemorySimWriter implements SimWriter {
  /** resource key → "namespace/name" → object. Every stored object has uid and resourceVersion. */
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  /** The last resourceVersion handed out; strictly increasing across all resources. */
  #rv = 0;
  #uid = 0;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  #bucket(gvr: GroupVersionResource): Map<string, KubeObject> {
    let bucket = this.#objects.get(keyOf(gvr));
    if (bucket === undefined) {
      bucket = new Map();
      this.#objects.set(keyOf(gvr), bucket);
    }
    return bucket;
  }

  #nameOf(gvr: GroupVersionResource, obj: KubeObject): { namespace: string; name: string } {
    const name = obj.metadata?.name;
    if (typeof name !== 'string' || name === '')
      throw badRequest(`${gvr.resource}: metadata.name is required`);
    return { namespace: obj.metadata?.namespace ?? '', name };
  }

  create(gvr: GroupVersionResource, obj: KubeObject): KubeObject {
    const { namespace, name } = this.#nameOf(gvr, obj);
    const bucket = this.#bucket(gvr);
    const key = `${namespace}/${name}`;
    if (bucket.has(key)) throw alreadyExists(gvr.group, gvr.resource, name);
    const metadata = obj.metadata ?? {};
    obj.metadata = {
      ...metadata,
      uid: `00000000-0000-4000-8000-${(++this.#uid).toString(16).padStart(12, '0')}`,
      resourceVersion: String(++this.#rv),
      creationTimestamp: metadata.creationTimestamp ?? `${new Date(this.#now()).toISOString().slice(0, 19)}Z`,
      generation: 1,
    };
    bucket.set(key, obj);
    return obj;
  }

  update(gvr: GroupVersionResource, obj: KubeObject): KubeObject {
    const { namespace, name } = this.#nameOf(gvr, obj);
    const bucket = this.#bucket(gvr);
    const key = `${namespace}/${name}`;
    const current = bucket.get(key);
    if (current === undefined) throw notFound(gvr.group, gvr.resource, name);
    const rv = obj.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== current.metadata?.resourceVersion) {
      throw conflict(
        gvr.group,
        gvr.resource,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    obj.metadata = {
      ...obj.metadata,
      uid: current.metadata?.uid,
      creationTimestamp: current.metadata?.creationTimestamp,
      resourceVersion: String(++this.#rv),
    };
    bucket.set(key, obj);
    return obj;
  }

  delete(gvr: GroupVersionResource, namespace: string, name: string): KubeObject | undefined {
    const bucket = this.#bucket(gvr);
    const key = `${namespace}/${name}`;
    const current = bucket.get(key);
    if (current !== undefined) {
      bucket.delete(key);
      this.#rv++;
    }
    return current;
  }

  get(gvr: GroupVersionResource, namespace: string, name: string): KubeObject | undefined {
    return this.#objects.get(keyOf(gvr))?.get(`${namespace}/${name}`);
  }

  list(gvr: GroupVersionResource, namespace?: string): KubeObject[] {
    const all = [...(this.#objects.get(keyOf(gvr))?.values() ?? [])];
    return namespace === undefined ? all : all.filter((o) => (o.metadata?.namespace ?? '') === namespace);
  }
}
