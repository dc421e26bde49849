// The simulated cluster's state machine without any transport: the registry of served resources,
// the object store, and the CRD lifecycle that ties them together (creating a CRD serves its
// resource; deleting it deletes every custom object, ends their watches and unserves it). Both
// the HTTP verbs (resource-api.ts) and the SimWriter go through here, so they behave alike.
import type { GroupVersionResource, KubeObject } from '../../../src/kube/api/types.ts';
import { crdServing } from './crd.ts';
import {
  ClusterStore,
  type CreateOptions,
  type DeletePreconditions,
  type UpdateMode,
} from './object-store.ts';
import { Registry, type ResourceInfo, storageKey } from './registry.ts';
import { failure } from './status.ts';
import type { WatchStream } from './watch-stream.ts';

export interface EngineOptions {
  historyWindow: number;
  historyWindowMs: number;
  now: () => number;
}

function isCrd(info: ResourceInfo): boolean {
  return info.group === 'apiextensions.k8s.io' && info.resource === 'customresourcedefinitions';
}

/** The 404 the apiserver answers for a path no resource serves. */
export function noSuchResource(message = 'the server could not find the requested resource'): Error {
  return failure(404, 'NotFound', message, {});
}

const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export class Engine {
  readonly registry = new Registry();
  readonly store: ClusterStore;
  /** Open watches and the storage key they watch, so CRD deletion and close() can end them. */
  readonly #streams = new Map<WatchStream, string>();

  constructor(opts: EngineOptions) {
    this.store = new ClusterStore({
      historyWindow: opts.historyWindow,
      historyWindowMs: opts.historyWindowMs,
      now: opts.now,
      uid: () => crypto.randomUUID(),
    });
  }

  /** The served resource for a GVR, or a 404 Status error. */
  info(gvr: GroupVersionResource): ResourceInfo {
    const info = this.registry.lookup(gvr.group, gvr.version, gvr.resource);
    if (info === undefined) {
      throw noSuchResource(
        `the server could not find the requested resource (${gvr.group}/${gvr.version}, Resource=${gvr.resource})`,
      );
    }
    return info;
  }

  track(stream: WatchStream, info: ResourceInfo): void {
    this.#streams.set(stream, storageKey(info.group, info.resource));
    stream.onClose(() => this.#streams.delete(stream));
  }

  get openWatches(): number {
    return this.#streams.size;
  }

  /** End every open watch now (queued events are dropped; clients resume from their last RV). */
  closeWatches(): void {
    for (const stream of [...this.#streams.keys()]) stream.close('server');
  }

  create(
    info: ResourceInfo,
    obj: KubeObject,
    namespace: string,
    dryRun = false,
    opts: CreateOptions = {},
  ): KubeObject {
    const created = this.store.create(info, obj, namespace, dryRun, opts);
    if (!dryRun && isCrd(info)) this.#serveCrd(created);
    return created;
  }

  update(
    info: ResourceInfo,
    obj: KubeObject,
    namespace: string,
    mode: UpdateMode,
    dryRun = false,
  ): KubeObject {
    const updated = this.store.update(info, obj, namespace, mode, dryRun);
    if (!dryRun && isCrd(info)) this.#serveCrd(updated);
    return updated;
  }

  delete(
    info: ResourceInfo,
    namespace: string,
    name: string,
    pre: DeletePreconditions = {},
    dryRun = false,
  ): KubeObject {
    if (info.group === '' && info.resource === 'namespaces' && PROTECTED_NAMESPACES.has(name)) {
      // The NamespaceLifecycle admission plugin refuses these, whoever asks.
      throw failure(
        403,
        'Forbidden',
        `namespaces "${name}" is forbidden: this namespace may not be deleted`,
        {
          name,
          kind: 'namespaces',
        },
      );
    }
    if (isCrd(info) && !dryRun) {
      // Check existence and preconditions before the cascade, so a refused delete deletes nothing.
      this.store.delete(info, namespace, name, pre, true);
      this.#unserveCrdObjects(name);
    }
    const deleted = this.store.delete(info, namespace, name, pre, dryRun);
    if (isCrd(info) && !dryRun) {
      const serving = this.registry.removeCrd(name);
      if (serving !== undefined) this.store.drop(serving.group, serving.plural);
    }
    return deleted;
  }

  #serveCrd(crd: KubeObject): void {
    const serving = crdServing(crd);
    this.registry.putCrd(serving);
    const first = serving.versions[0];
    if (first !== undefined) {
      const info = this.registry.lookup(serving.group, first.name, serving.plural);
      if (info !== undefined) this.store.store(info);
    }
  }

  /** Delete every object of a CRD's resource (each a DELETED event), then end its watches. */
  #unserveCrdObjects(crdName: string): void {
    const serving = this.registry.crd(crdName);
    if (serving === undefined) return;
    const s = this.store.existing(serving.group, serving.plural);
    const first = serving.versions[0];
    const info = first && this.registry.lookup(serving.group, first.name, serving.plural);
    if (s !== undefined && info !== undefined) {
      for (const key of [...s.keys.view()]) {
        const obj = s.objects.get(key);
        if (obj === undefined) continue;
        this.store.delete(info, obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
      }
    }
    // Like the apiserver when a CRD goes: the DELETED events already queued still reach clients.
    const key = storageKey(serving.group, serving.plural);
    for (const [stream, k] of this.#streams) if (k === key) stream.finish();
  }
}
