// The simulated cluster's storage: one ResourceStore per group+resource, one global strictly
// increasing resourceVersion, and a bounded per-resource history of change events that watches
// replay and past-RV lists rebuild snapshots from. This file is the only writer of objects.
//
// Objects are stored as-is after a shallow copy (top level and metadata), then frozen at those two
// levels: nested values are shared with whoever created them and must never be changed in place.
// Readers receive the stored objects themselves and must treat them as read-only.
import type { KubeObject, ObjectMeta } from '../../../src/kube/api/types.ts';
import { crdServing, establishedStatus } from './crd.ts';
import {
  generateNameSuffix,
  rfc3339,
  sameExceptResourceVersion,
  specChanged,
  validateMeta,
} from './object-meta.ts';
import { type ResourceInfo, storageKey } from './registry.ts';
import { SortedKeys } from './sorted-keys.ts';
import { alreadyExists, badRequest, conflict, notFound } from './status.ts';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed change. Immutable once published, except for the lazily filled `wire` cache. */
export interface StoreEvent {
  readonly type: StoreEventType;
  readonly rv: number;
  readonly key: string;
  /** The object after the change; for DELETED, its last state stamped with the deletion's RV. */
  readonly object: KubeObject;
  /** The object before the change; undefined for ADDED. */
  readonly prev: KubeObject | undefined;
  /** now() at commit, for the time-based history window. */
  readonly at: number;
  /**
   * The watch line for this event's own type at the object's own apiVersion: what nearly every
   * watcher sends, so it is serialised once however many watchers receive it.
   */
  line?: string;
  /** Other encoded lines (a rewritten type or another served version), keyed "TYPE|apiVersion". */
  wire?: Map<string, string>;
}

export type StoreListener = (ev: StoreEvent) => void;

/** Key of an object in its store: "namespace/name", or "name" for cluster-scoped resources. */
export function objectKey(namespace: string, name: string): string {
  return namespace === '' ? name : `${namespace}/${name}`;
}

/**
 * All objects of one group+resource. Invariants: `objects` and `keys` hold the same key set;
 * `history` holds, oldest first, every event with rv > `horizon` (events at or below the horizon
 * were evicted or compacted away), so a watch or list from RV N is servable iff N >= horizon.
 */
export interface CreateOptions {
  /** Keep a creationTimestamp the caller set (SimWriter.create); HTTP creates never do. */
  keepCreationTimestamp?: boolean;
}

export class ResourceStore {
  readonly group: string;
  readonly resource: string;
  readonly namespaced: boolean;
  readonly objects = new Map<string, KubeObject>();
  readonly keys = new SortedKeys();
  readonly listeners = new Set<StoreListener>();
  horizon: number;
  #history: StoreEvent[] = [];
  #start = 0;

  constructor(group: string, resource: string, namespaced: boolean, horizon: number) {
    this.group = group;
    this.resource = resource;
    this.namespaced = namespaced;
    this.horizon = horizon;
  }

  /** Events with rv > after, oldest first. Caller checks `after >= horizon` first. */
  eventsAfter(after: number): StoreEvent[] {
    const h = this.#history;
    let lo = this.#start;
    let hi = h.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((h[mid] as StoreEvent).rv <= after) lo = mid + 1;
      else hi = mid;
    }
    return h.slice(lo);
  }

  get historyLength(): number {
    return this.#history.length - this.#start;
  }

  /** Record and publish one event, then evict what falls outside the window. */
  commit(ev: StoreEvent, maxEvents: number, minAt: number): void {
    this.#history.push(ev);
    this.trim(maxEvents, minAt);
    for (const listener of this.listeners) listener(ev);
  }

  /** Evict events beyond `maxEvents` or older than `minAt`, moving the horizon past them. */
  trim(maxEvents: number, minAt: number): void {
    while (this.#start < this.#history.length) {
      const oldest = this.#history[this.#start] as StoreEvent;
      if (this.#history.length - this.#start <= maxEvents && oldest.at >= minAt) break;
      this.horizon = Math.max(this.horizon, oldest.rv);
      this.#start++;
    }
    // Reclaim the evicted prefix once it dominates the array, keeping eviction O(1) amortized.
    if (this.#start > 1024 && this.#start * 2 > this.#history.length) {
      this.#history = this.#history.slice(this.#start);
      this.#start = 0;
    }
  }

  /** Drop the whole history: every resume from an RV below `rv` now gets 410. */
  compact(rv: number): void {
    this.#history = [];
    this.#start = 0;
    this.horizon = rv;
  }
}

export interface StoreOptions {
  historyWindow: number;
  historyWindowMs: number;
  now: () => number;
  uid: () => string;
}

export interface DeletePreconditions {
  uid?: string;
  resourceVersion?: string;
}

/** How an update treats the status stanza (the status subresource splits the object in two). */
export type UpdateMode = 'whole' | 'main' | 'status';

function shallowFreeze(obj: KubeObject): KubeObject {
  if (obj.metadata) Object.freeze(obj.metadata);
  return Object.freeze(obj);
}

/** kubernetes-types marks metadata fields readonly; the store is where they get written. */
type MutableMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

function metaOf(obj: KubeObject): ObjectMeta {
  return obj.metadata ?? {};
}

export class ClusterStore {
  readonly #stores = new Map<string, ResourceStore>();
  readonly #opts: StoreOptions;
  #rv = 0;

  constructor(opts: StoreOptions) {
    this.#opts = opts;
  }

  /** The latest committed resourceVersion (0 before the first write). */
  get rv(): number {
    return this.#rv;
  }

  /**
   * The store of a resource, created on first use. A built-in resource had no events before its
   * store existed, so its history is complete from RV 0; a CRD's resource did not exist before its
   * store was made, so resuming from an earlier RV is answered with 410 like a fresh watch cache.
   */
  /**
   * The store of a resource, with its history trimmed to the time window as of now: etcd
   * compacts on a timer, not only when something is written, so reads must see old history go.
   */
  fresh(info: Pick<ResourceInfo, 'group' | 'resource' | 'namespaced' | 'crd'>): ResourceStore {
    const s = this.store(info);
    s.trim(this.#opts.historyWindow, this.#opts.now() - this.#opts.historyWindowMs);
    return s;
  }

  store(info: Pick<ResourceInfo, 'group' | 'resource' | 'namespaced' | 'crd'>): ResourceStore {
    const key = storageKey(info.group, info.resource);
    let s = this.#stores.get(key);
    if (s === undefined) {
      s = new ResourceStore(info.group, info.resource, info.namespaced, info.crd ? this.#rv : 0);
      this.#stores.set(key, s);
    }
    return s;
  }

  existing(group: string, resource: string): ResourceStore | undefined {
    return this.#stores.get(storageKey(group, resource));
  }

  /** Forget a store entirely (its CRD is gone). Its listeners must already have been closed. */
  drop(group: string, resource: string): void {
    this.#stores.delete(storageKey(group, resource));
  }

  stores(): IterableIterator<ResourceStore> {
    return this.#stores.values();
  }

  compact(): void {
    for (const s of this.#stores.values()) s.compact(this.#rv);
  }

  #commit(
    s: ResourceStore,
    type: StoreEventType,
    key: string,
    object: KubeObject,
    prev: KubeObject | undefined,
    rv: number,
  ): void {
    const now = this.#opts.now();
    s.commit(
      { type, rv, key, object, prev, at: now },
      this.#opts.historyWindow,
      now - this.#opts.historyWindowMs,
    );
  }

  get(info: ResourceInfo, namespace: string, name: string): KubeObject | undefined {
    return this.existing(info.group, info.resource)?.objects.get(
      objectKey(info.namespaced ? namespace : '', name),
    );
  }

  #requireNamespace(info: ResourceInfo, namespace: string): void {
    if (!info.namespaced) return;
    if (namespace === '')
      throw badRequest('the namespace of the object is required for a namespaced resource');
    const nsStore = this.existing('', 'namespaces');
    if (nsStore?.objects.has(namespace) !== true) throw notFound('', 'namespaces', namespace);
  }

  /**
   * Create an object. `namespace` is where the request addressed it ("" for cluster scope); the
   * body's own namespace, when set, must agree (checked by the caller). dryRun validates only.
   */
  create(
    info: ResourceInfo,
    input: KubeObject,
    namespace: string,
    dryRun = false,
    opts: CreateOptions = {},
  ): KubeObject {
    const meta = metaOf(input);
    let name = meta.name ?? '';
    const s = this.store(info);
    const ns = info.namespaced ? namespace : '';
    if (name === '' && meta.generateName) {
      // Retry a few times on the (rare) collision, as the apiserver's create retries do.
      for (let attempt = 0; attempt < 8; attempt++) {
        name = `${meta.generateName}${generateNameSuffix()}`;
        if (!s.objects.has(objectKey(ns, name))) break;
      }
    }
    validateMeta(info, meta, name);
    this.#requireNamespace(info, ns);
    const key = objectKey(ns, name);
    if (s.objects.has(key)) throw alreadyExists(info.group, info.resource, name);
    const rv = dryRun ? this.#rv + 1 : ++this.#rv;
    const metadata: MutableMeta = {
      ...meta,
      name,
      uid: this.#opts.uid(),
      resourceVersion: String(rv),
      // An HTTP create always stamps the server's time; in-process writers (the seed) may backdate.
      creationTimestamp:
        opts.keepCreationTimestamp && typeof meta.creationTimestamp === 'string'
          ? meta.creationTimestamp
          : rfc3339(this.#opts.now()),
      generation: 1,
    };
    if (ns !== '') metadata.namespace = ns;
    // `delete` only when present: deleting a property drops V8 objects into slow dictionary mode.
    else if (metadata.namespace !== undefined) delete metadata.namespace;
    if (metadata.deletionTimestamp !== undefined) delete metadata.deletionTimestamp;
    if (metadata.deletionGracePeriodSeconds !== undefined) delete metadata.deletionGracePeriodSeconds;
    const obj: KubeObject = { ...input, apiVersion: apiVersionOf(info), kind: info.kind, metadata };
    defaultStatus(info, obj, this.#opts.now());
    if (dryRun) return shallowFreeze(obj);
    shallowFreeze(obj);
    s.objects.set(key, obj);
    s.keys.add(key);
    this.#commit(s, 'ADDED', key, obj, undefined, rv);
    return obj;
  }

  update(
    info: ResourceInfo,
    input: KubeObject,
    namespace: string,
    mode: UpdateMode,
    dryRun = false,
  ): KubeObject {
    const meta = metaOf(input);
    const name = meta.name ?? '';
    const ns = info.namespaced ? namespace : '';
    const s = this.store(info);
    const key = objectKey(ns, name);
    const old = s.objects.get(key);
    if (old === undefined) throw notFound(info.group, info.resource, name);
    const oldMeta = metaOf(old);
    if (
      meta.resourceVersion !== undefined &&
      meta.resourceVersion !== '' &&
      meta.resourceVersion !== oldMeta.resourceVersion
    ) {
      throw conflict(
        info.group,
        info.resource,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    if (meta.uid !== undefined && meta.uid !== '' && meta.uid !== oldMeta.uid) {
      throw conflict(
        info.group,
        info.resource,
        name,
        `Precondition failed: UID in precondition: ${meta.uid}, UID in object meta: ${oldMeta.uid ?? ''}`,
      );
    }
    let next: KubeObject;
    if (mode === 'status') {
      next = { ...old, metadata: { ...oldMeta } };
      if (input.status === undefined) delete next.status;
      else next.status = input.status;
    } else {
      validateMeta(info, meta, name);
      next = { ...input, apiVersion: apiVersionOf(info), kind: info.kind, metadata: { ...meta } };
      if (mode === 'main') {
        if (old.status === undefined) delete next.status;
        else next.status = old.status;
      }
    }
    const nextMeta = next.metadata as MutableMeta;
    nextMeta.name = name;
    if (ns !== '') nextMeta.namespace = ns;
    else if (nextMeta.namespace !== undefined) delete nextMeta.namespace;
    nextMeta.uid = oldMeta.uid;
    nextMeta.creationTimestamp = oldMeta.creationTimestamp;
    nextMeta.generation = (oldMeta.generation ?? 1) + (mode !== 'status' && specChanged(old, next) ? 1 : 0);
    if (oldMeta.generateName !== undefined && nextMeta.generateName === undefined)
      nextMeta.generateName = oldMeta.generateName;
    nextMeta.resourceVersion = oldMeta.resourceVersion;
    if (
      info.group === 'apiextensions.k8s.io' &&
      info.resource === 'customresourcedefinitions' &&
      mode !== 'status'
    ) {
      crdServing(next);
      next.status = establishedStatus(next, rfc3339(this.#opts.now()));
    }
    // An update that changes nothing writes nothing: no new RV, no event (etcd's GuaranteedUpdate).
    if (sameExceptResourceVersion(old, next)) return old;
    if (dryRun) {
      nextMeta.resourceVersion = String(this.#rv + 1);
      return shallowFreeze(next);
    }
    const rv = ++this.#rv;
    nextMeta.resourceVersion = String(rv);
    shallowFreeze(next);
    s.objects.set(key, next);
    this.#commit(s, 'MODIFIED', key, next, old, rv);
    return next;
  }

  delete(
    info: ResourceInfo,
    namespace: string,
    name: string,
    pre: DeletePreconditions = {},
    dryRun = false,
  ): KubeObject {
    const ns = info.namespaced ? namespace : '';
    const s = this.store(info);
    const key = objectKey(ns, name);
    const old = s.objects.get(key);
    if (old === undefined) throw notFound(info.group, info.resource, name);
    const oldMeta = metaOf(old);
    if (pre.uid !== undefined && pre.uid !== oldMeta.uid) {
      throw conflict(
        info.group,
        info.resource,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${oldMeta.uid ?? ''}`,
      );
    }
    if (pre.resourceVersion !== undefined && pre.resourceVersion !== oldMeta.resourceVersion) {
      throw conflict(
        info.group,
        info.resource,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${oldMeta.resourceVersion ?? ''}`,
      );
    }
    if (dryRun) return old;
    if (info.group === '' && info.resource === 'namespaces') this.#emptyNamespace(name);
    const rv = ++this.#rv;
    const final = shallowFreeze({ ...old, metadata: { ...oldMeta, resourceVersion: String(rv) } });
    s.objects.delete(key);
    s.keys.delete(key);
    this.#commit(s, 'DELETED', key, final, old, rv);
    return final;
  }

  /** Delete every object in a namespace, each with its own RV and DELETED event. */
  #emptyNamespace(namespace: string): void {
    const prefix = `${namespace}/`;
    for (const s of this.#stores.values()) {
      if (!s.namespaced) continue;
      const keys = s.keys.view();
      let i = lowerBoundIndex(keys, prefix);
      const doomed: string[] = [];
      while (i < keys.length && (keys[i] as string).startsWith(prefix)) doomed.push(keys[i++] as string);
      for (const key of doomed) {
        const old = s.objects.get(key) as KubeObject;
        const rv = ++this.#rv;
        const final = shallowFreeze({ ...old, metadata: { ...metaOf(old), resourceVersion: String(rv) } });
        s.objects.delete(key);
        s.keys.delete(key);
        this.#commit(s, 'DELETED', key, final, old, rv);
      }
    }
  }
}

function lowerBoundIndex(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function apiVersionOf(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** Status a real server fills in at creation for a few kinds clients look at right away. */
function defaultStatus(info: ResourceInfo, obj: KubeObject, now: number): void {
  if (info.group === '' && info.resource === 'namespaces') {
    const status = (obj.status ?? {}) as Record<string, unknown>;
    obj.status = { ...status, phase: status.phase ?? 'Active' };
    obj.spec ??= { finalizers: ['kubernetes'] };
  } else if (info.group === '' && info.resource === 'pods') {
    const status = (obj.status ?? {}) as Record<string, unknown>;
    if (status.phase === undefined) obj.status = { ...status, phase: 'Pending' };
  } else if (info.group === 'apiextensions.k8s.io' && info.resource === 'customresourcedefinitions') {
    crdServing(obj);
    obj.status = establishedStatus(obj, rfc3339(now));
  }
}
