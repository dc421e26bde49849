// DynamicClient (client-go dynamic/simple.go): every verb for any resource, CRDs included, over
// unstructured JSON objects (DC-01). Paths follow RC-01; verbs and bodies follow DC-03..06.
//
//   const pods = dynamic.resource({ group: '', version: 'v1', resource: 'pods' }).namespace('default');
//   const list = await pods.list({ labelSelector: 'app=web' });
import type { DeleteOptions } from 'kubernetes-types/meta/v1';
import type { GroupVersionResource, KubeList, KubeObject, ListMeta, Status } from '../api/types.ts';
import type { ListOptions, Watch } from '../cache/lister-watcher.ts';
import type { QueryValue } from '../rest/list-options-query.ts';
import { PatchType } from '../rest/media-types.ts';
import type { RESTClient, RequestOptions } from '../rest/rest-client.ts';

/** Options every call accepts. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Per-request timeout (also sent as `timeout=`, RC-02). */
  timeoutMs?: number;
}

/** metav1.CreateOptions / UpdateOptions / PatchOptions query parameters. */
export interface WriteOptions extends CallOptions {
  dryRun?: 'All';
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

export interface PatchOptions extends WriteOptions {
  /** Only for apply patches (DC-06). */
  force?: boolean;
}

export interface ApplyOptions extends CallOptions {
  /** Required (DC-06). */
  fieldManager: string;
  force?: boolean;
  dryRun?: 'All';
}

export type ListCallOptions = ListOptions & CallOptions;

/** list() only: RequestOptions.onListMeta, the page's ListMeta as soon as the body starts. */
export interface ListHookOptions {
  onListMeta?: (meta: ListMeta) => void;
}

/** The verbs on one resource in one namespace (or cluster-wide). */
export interface ResourceInterface<T extends KubeObject = KubeObject> {
  get(name: string, opts?: CallOptions & { subresource?: string; resourceVersion?: string }): Promise<T>;
  list(opts?: ListCallOptions & ListHookOptions): Promise<KubeList<T>>;
  watch(opts?: ListCallOptions): Promise<Watch<T>>;
  create(obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T>;
  update(obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T>;
  updateStatus(obj: T, opts?: WriteOptions): Promise<T>;
  patch(
    name: string,
    type: PatchType,
    data: unknown,
    opts?: PatchOptions & { subresource?: string },
  ): Promise<T>;
  apply(name: string, obj: T, opts: ApplyOptions & { subresource?: string }): Promise<T>;
  applyStatus(name: string, obj: T, opts: ApplyOptions): Promise<T>;
  /** Resolves to the server's answer: the deleted object, or a Status while finalizers run. */
  delete(name: string, opts?: CallOptions & { deleteOptions?: DeleteOptions }): Promise<T | Status>;
  deleteCollection(opts?: ListCallOptions & { deleteOptions?: DeleteOptions }): Promise<KubeList<T> | Status>;
}

export interface NamespaceableResourceInterface<T extends KubeObject = KubeObject>
  extends ResourceInterface<T> {
  namespace(ns: string): ResourceInterface<T>;
}

export class DynamicClient {
  readonly rest: RESTClient;

  constructor(rest: RESTClient) {
    this.rest = rest;
  }

  resource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource): NamespaceableResourceInterface<T> {
    if (!gvr?.version || !gvr.resource) {
      throw new Error(
        `DynamicClient.resource: version and resource are required, got ${JSON.stringify(gvr)}`,
      );
    }
    const cluster = new DynamicResource<T>(this.rest, gvr, '');
    return Object.assign(cluster, {
      namespace: (ns: string) => new DynamicResource<T>(this.rest, gvr, ns),
    });
  }
}

function requireName(name: string | undefined, verb: string): string {
  if (!name) throw new Error(`${verb}: name is required`); // DC-02
  return name;
}

function writeQuery(opts: (WriteOptions & { force?: boolean }) | undefined): Record<string, QueryValue> {
  return {
    dryRun: opts?.dryRun,
    fieldManager: opts?.fieldManager,
    fieldValidation: opts?.fieldValidation,
    force: opts?.force,
  };
}

function call(opts: CallOptions | undefined): Pick<RequestOptions, 'signal' | 'timeoutMs'> {
  const out: Pick<RequestOptions, 'signal' | 'timeoutMs'> = {};
  if (opts?.signal) out.signal = opts.signal;
  if (opts?.timeoutMs) out.timeoutMs = opts.timeoutMs;
  return out;
}

function splitListOptions(opts: ListCallOptions | undefined): ListOptions {
  if (!opts) return {};
  const { signal: _s, timeoutMs: _t, ...list } = opts;
  return list;
}

class DynamicResource<T extends KubeObject> implements ResourceInterface<T> {
  readonly #rest: RESTClient;
  readonly #gvr: GroupVersionResource;
  readonly #ns: string;

  constructor(rest: RESTClient, gvr: GroupVersionResource, namespace: string) {
    this.#rest = rest;
    this.#gvr = gvr;
    this.#ns = namespace;
  }

  #req(name?: string, subresource?: string): RequestOptions {
    const r: RequestOptions = {
      group: this.#gvr.group,
      version: this.#gvr.version,
      resource: this.#gvr.resource,
    };
    if (this.#ns) r.namespace = this.#ns;
    if (name) r.name = name;
    if (subresource) r.subresource = subresource;
    return r;
  }

  get(name: string, opts?: CallOptions & { subresource?: string; resourceVersion?: string }): Promise<T> {
    return this.#rest.json<T>({
      ...this.#req(requireName(name, 'get'), opts?.subresource),
      ...call(opts),
      query: { resourceVersion: opts?.resourceVersion },
    });
  }

  list(opts?: ListCallOptions & ListHookOptions): Promise<KubeList<T>> {
    const { onListMeta, ...rest } = opts ?? {};
    return this.#rest.json<KubeList<T>>({
      ...this.#req(),
      ...call(rest),
      listOptions: splitListOptions(rest),
      ...(onListMeta ? { onListMeta } : {}),
    });
  }

  watch(opts?: ListCallOptions): Promise<Watch<T>> {
    return this.#rest.watch<T>({ ...this.#req(), ...call(opts), listOptions: splitListOptions(opts) });
  }

  create(obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T> {
    const name = obj?.metadata?.name;
    // DC-02: create on a subresource posts to name/sub, so the name is needed.
    if (opts?.subresource) requireName(name, 'create');
    return this.#rest.json<T>({
      ...this.#req(opts?.subresource ? name : undefined, opts?.subresource),
      ...call(opts),
      verb: 'POST',
      body: obj,
      query: writeQuery(opts),
    });
  }

  update(obj: T, opts?: WriteOptions & { subresource?: string }): Promise<T> {
    const name = requireName(obj?.metadata?.name, 'update');
    return this.#rest.json<T>({
      ...this.#req(name, opts?.subresource),
      ...call(opts),
      verb: 'PUT',
      body: obj,
      query: writeQuery(opts),
    });
  }

  updateStatus(obj: T, opts?: WriteOptions): Promise<T> {
    return this.update(obj, { ...opts, subresource: 'status' });
  }

  patch(
    name: string,
    type: PatchType,
    data: unknown,
    opts?: PatchOptions & { subresource?: string },
  ): Promise<T> {
    requireName(name, 'patch');
    if (!Object.values(PatchType).includes(type))
      throw new Error(`patch: unknown patch type ${JSON.stringify(type)}`);
    if (data === undefined || data === null) throw new Error('patch: data is required');
    return this.#rest.json<T>({
      ...this.#req(name, opts?.subresource),
      ...call(opts),
      verb: 'PATCH',
      body: data,
      contentType: type,
      query: writeQuery(opts),
    });
  }

  apply(name: string, obj: T, opts: ApplyOptions & { subresource?: string }): Promise<T> {
    requireName(name, 'apply');
    if (!opts?.fieldManager) throw new Error('apply: fieldManager is required'); // DC-06
    if (obj?.metadata?.managedFields !== undefined) {
      throw new Error('apply: cannot apply an object with metadata.managedFields set; remove them first'); // DC-06
    }
    // JSON is valid YAML, so the apply body is the object's JSON with the apply-patch content type.
    return this.patch(name, PatchType.apply, obj, opts);
  }

  applyStatus(name: string, obj: T, opts: ApplyOptions): Promise<T> {
    return this.apply(name, obj, { ...opts, subresource: 'status' });
  }

  delete(name: string, opts?: CallOptions & { deleteOptions?: DeleteOptions }): Promise<T | Status> {
    const req: RequestOptions = { ...this.#req(requireName(name, 'delete')), ...call(opts), verb: 'DELETE' };
    if (opts?.deleteOptions) req.body = { kind: 'DeleteOptions', apiVersion: 'v1', ...opts.deleteOptions };
    return this.#rest.json<T | Status>(req);
  }

  deleteCollection(
    opts?: ListCallOptions & { deleteOptions?: DeleteOptions },
  ): Promise<KubeList<T> | Status> {
    const { deleteOptions, ...rest } = opts ?? {};
    const req: RequestOptions = {
      ...this.#req(),
      ...call(rest),
      verb: 'DELETE',
      listOptions: splitListOptions(rest),
    };
    if (deleteOptions) req.body = { kind: 'DeleteOptions', apiVersion: 'v1', ...deleteOptions };
    return this.#rest.json<KubeList<T> | Status>(req);
  }
}
