// The REST verbs on resource paths: get, list, watch, create, update, patch, delete and
// deletecollection, plus the status subresource, with the apiserver's checks in its order
// (route, verb allowed by discovery, authorization, body decoding, admission) and its responses
// (201 on create, Status or object on delete, List on deletecollection, Table when asked).
import type { KubeObject } from '../../../src/kube/api/types.ts';
import { bodyMediaType, negotiateObjectOutput, type ObjectOutput } from './content-negotiation.ts';
import { type Engine, noSuchResource } from './engine.ts';
import type { FaultInjector } from './faults.ts';
import { listStore } from './list.ts';
import { type ListOptions, parseBool, parseListOptions, parseResourceVersion } from './list-options.ts';
import { listJson, objectJson } from './object-json.ts';
import { apiVersionOf, type UpdateMode } from './object-store.ts';
import { applyPatch, patchTypeOf } from './patch.ts';
import type { ResourceInfo } from './registry.ts';
import { asObject, checkNamespace, decodeBody, dryRunOf, preconditionsOf } from './request-body.ts';
import type { RequestTarget, ResourceTarget } from './request-info.ts';
import { applyScale, toScale } from './scale.ts';
import type { SimRequest, SimResponse } from './sim-http.ts';
import {
  badRequest,
  failure,
  methodNotAllowed,
  qualifiedResource,
  resourceVersionTooLarge,
} from './status.ts';
import {
  type IncludeObject,
  parseIncludeObject,
  TableError,
  type TableInput,
  tablePrinterFor,
  toTable,
} from './table.ts';
import { openWatch } from './watch.ts';

export interface ApiContext {
  engine: Engine;
  faults: FaultInjector;
  now: () => number;
  bookmarkIntervalMs: number;
  continueTokenTtlMs: number;
  watchBufferSize: number;
}

const JSON_TYPE = 'application/json';
const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const PARTIAL_TYPE = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
const PARTIAL_LIST_TYPE = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export function jsonResponse(status: number, body: unknown, contentType = JSON_TYPE): SimResponse {
  return {
    status,
    headers: { 'content-type': contentType, 'cache-control': 'no-cache, private' },
    body: JSON.stringify(body),
  };
}

/** A JSON body already serialised (object-json.ts). */
function textResponse(status: number, body: string): SimResponse {
  return { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-cache, private' }, body };
}

type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

function verbOf(req: SimRequest, t: ResourceTarget, watch: boolean): Verb {
  const named = t.name !== undefined;
  switch (req.method.toUpperCase()) {
    case 'GET':
      return named ? 'get' : watch ? 'watch' : 'list';
    case 'POST':
      if (!named) return 'create';
      break;
    case 'PUT':
      if (named) return 'update';
      break;
    case 'PATCH':
      if (named) return 'patch';
      break;
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
  }
  throw methodNotAllowed(req.method);
}

function forbidden(req: SimRequest, verb: Verb, info: ResourceInfo, t: ResourceTarget): Error {
  const user = req.user?.name ?? 'system:anonymous';
  const subject =
    t.name === undefined
      ? qualifiedResource(info.group, info.resource)
      : `${qualifiedResource(info.group, info.resource)} "${t.name}"`;
  const where =
    info.namespaced && t.namespace !== '' ? ` in the namespace "${t.namespace}"` : ' at the cluster scope';
  const resource = t.subresource ? `${info.resource}/${t.subresource}` : info.resource;
  return failure(
    403,
    'Forbidden',
    `${subject} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${info.group}"${where}`,
    {
      ...(t.name ? { name: t.name } : {}),
      group: info.group,
      kind: info.resource,
    },
  );
}

function withVersion(obj: KubeObject, apiVersion: string): KubeObject {
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

function tableInput(info: ResourceInfo): TableInput {
  const input: TableInput = {
    group: info.group,
    version: info.version,
    resource: info.resource,
    kind: info.kind,
  };
  if (info.crd) input.printerColumns = info.crd.printerColumns;
  return input;
}

function includeObjectOf(query: URLSearchParams): IncludeObject {
  try {
    return parseIncludeObject(query.get('includeObject'));
  } catch (err) {
    throw badRequest((err as Error).message);
  }
}

function tableOrThrow<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof TableError) throw badRequest(err.message);
    throw err;
  }
}

export async function handleResource(
  ctx: ApiContext,
  req: SimRequest,
  target: RequestTarget & { kind: 'resource' },
): Promise<SimResponse> {
  const { engine } = ctx;
  const info = engine.registry.lookup(target.group, target.version, target.resource);
  if (info === undefined || target.extra) throw noSuchResource();
  const ns = info.namespaced ? target.namespace : '';
  // A namespace segment on a cluster-scoped resource (other than /namespaces/{name}) has no route.
  if (!info.namespaced && target.namespace !== '' && !(info.group === '' && info.resource === 'namespaces')) {
    throw noSuchResource();
  }
  if (target.subresource !== undefined) {
    if (!info.subresources.has(target.subresource)) throw noSuchResource();
    if (target.subresource !== 'status' && target.subresource !== 'scale') {
      throw noSuchResource(
        `the simulated cluster does not serve the "${target.subresource}" subresource of ${info.resource}`,
      );
    }
  }
  const watch = parseBool('watch', req.query.get('watch')) ?? false;
  const verb = verbOf(req, target, watch);
  const allowed = target.subresource ? (info.subresources.get(target.subresource) ?? []) : info.verbs;
  if (!allowed.includes(verb) || (target.subresource && (verb === 'list' || verb === 'watch')))
    throw methodNotAllowed(req.method);
  if (info.namespaced && ns === '' && verb !== 'list' && verb !== 'watch') {
    throw verb === 'create' || verb === 'deletecollection' ? methodNotAllowed(req.method) : noSuchResource();
  }
  if (req.user?.readOnly && WRITE_VERBS.has(verb)) throw forbidden(req, verb, info, target);

  const apiVersion = apiVersionOf(info);
  const output = negotiateObjectOutput(req.headers.accept);
  if (output === undefined) {
    throw failure(
      406,
      'NotAcceptable',
      `only the following media types are accepted: ${JSON_TYPE}, ${TABLE_TYPE}`,
    );
  }
  if (target.subresource === 'scale') return handleScale(req, verb, info, ns, target.name ?? '', engine);
  const table = output === 'table' && (verb === 'get' || verb === 'list' || verb === 'watch');
  const partial = output === 'partial';
  const now = ctx.now();
  const respondObject = (status: number, obj: KubeObject): SimResponse => {
    if (partial) return jsonResponse(status, partialObject(obj), PARTIAL_TYPE);
    // object-json.ts: a stored object version is serialised once, whatever reads it.
    if (!table) return textResponse(status, objectJson(withVersion(obj, apiVersion)));
    const includeObject = includeObjectOf(req.query);
    return jsonResponse(
      status,
      tableOrThrow(() => toTable(tableInput(info), [withVersion(obj, apiVersion)], { includeObject, now })),
      TABLE_TYPE,
    );
  };
  const name = target.name ?? '';

  switch (verb) {
    case 'get': {
      const rv = req.query.get('resourceVersion') ?? '';
      if (rv !== '' && rv !== '0' && parseResourceVersion(rv) > engine.store.rv) {
        throw resourceVersionTooLarge(rv, String(engine.store.rv));
      }
      const obj = engine.store.get(info, ns, name);
      if (obj === undefined) throw notFoundError(info, name);
      return respondObject(200, obj);
    }
    case 'list': {
      const opts = parseListOptions(req.query, info.group, info.resource);
      const result = listStore(engine.store.fresh(info), ns, opts, {
        currentRv: engine.store.rv,
        now,
        continueTokenTtlMs: ctx.continueTokenTtlMs,
      });
      const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
      if (result.continue !== undefined) metadata.continue = result.continue;
      if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
      const items = result.items.map((o) => withVersion(o, apiVersion));
      if (table) {
        const includeObject = includeObjectOf(req.query);
        return jsonResponse(
          200,
          tableOrThrow(() => toTable(tableInput(info), items, { includeObject, now, listMeta: metadata })),
          TABLE_TYPE,
        );
      }
      if (partial) {
        return jsonResponse(
          200,
          {
            kind: 'PartialObjectMetadataList',
            apiVersion: 'meta.k8s.io/v1',
            metadata,
            items: items.map(partialObject),
          },
          PARTIAL_LIST_TYPE,
        );
      }
      return textResponse(200, listJson({ kind: info.listKind, apiVersion, metadata }, items));
    }
    case 'watch':
      return watchResponse(
        ctx,
        req,
        info,
        ns,
        parseListOptions(req.query, info.group, info.resource),
        output,
      );
    case 'create': {
      const obj = asObject(decodeBody(req, false), info);
      checkNamespace(obj, info, ns);
      return respondObject(201, engine.create(info, withoutClientStatus(info, obj), ns, dryRunOf(req.query)));
    }
    case 'update': {
      const obj = asObject(decodeBody(req, false), info);
      checkNamespace(obj, info, ns);
      const bodyName = obj.metadata?.name;
      if (bodyName !== undefined && bodyName !== name) {
        throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
      }
      const withName = { ...obj, metadata: { ...obj.metadata, name } };
      return respondObject(
        200,
        engine.update(info, withName, ns, updateMode(info, target), dryRunOf(req.query)),
      );
    }
    case 'patch': {
      const contentType = req.headers['content-type'] ?? '';
      const type = patchTypeOf(contentType);
      if (type === undefined) throw unsupportedPatch(contentType);
      const patch = decodeBody({ ...req, headers: { ...req.headers, 'content-type': JSON_TYPE } }, false);
      const old = engine.store.get(info, ns, name);
      if (old === undefined) throw notFoundError(info, name);
      const patched = applyPatch(type, withVersion(old, apiVersion), patch);
      const obj = asObject(patched, info);
      const meta = { ...obj.metadata, name };
      if (ns !== '') meta.namespace = ns;
      return respondObject(
        200,
        engine.update(info, { ...obj, metadata: meta }, ns, updateMode(info, target), dryRunOf(req.query)),
      );
    }
    case 'delete': {
      const options = decodeBody(req, true);
      const pre = preconditionsOf(options);
      const deleted = engine.delete(info, ns, name, pre, dryRunOf(req.query));
      if (returnsDeletedObject(info)) return jsonResponse(200, withVersion(deleted, apiVersion));
      return jsonResponse(200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name, group: info.group, kind: info.resource, uid: deleted.metadata?.uid },
      });
    }
    case 'deletecollection': {
      const opts = parseListOptions(req.query, info.group, info.resource);
      const dryRun = dryRunOf(req.query);
      const listed = listStore(
        engine.store.fresh(info),
        ns,
        { ...opts, limit: 0, continue: '', resourceVersion: '', resourceVersionMatch: '' },
        { currentRv: engine.store.rv, now, continueTokenTtlMs: ctx.continueTokenTtlMs },
      );
      const items = listed.items.map((o) =>
        engine.delete(info, o.metadata?.namespace ?? '', o.metadata?.name ?? '', {}, dryRun),
      );
      return jsonResponse(200, {
        kind: info.listKind,
        apiVersion,
        metadata: { resourceVersion: String(engine.store.rv) },
        items: items.map((o) => withVersion(o, apiVersion)),
      });
    }
  }
}

/**
 * What a create request may not set: for kinds with a status subresource the registry strategy's
 * PrepareForCreate resets status (controllers own it). Nodes are the exception (kubelets register
 * with their status). The SimWriter path keeps status: seed and churn play the controllers.
 */
function withoutClientStatus(info: ResourceInfo, obj: KubeObject): KubeObject {
  if (!info.subresources.has('status') || obj.status === undefined) return obj;
  if (info.group === '' && info.resource === 'nodes') return obj;
  const { status: _ignored, ...rest } = obj;
  return rest;
}

/** meta.k8s.io/v1 PartialObjectMetadata: the metadata-only form metadata informers ask for. */
function partialObject(obj: KubeObject): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
}

/** GET, PUT and PATCH of the scale subresource (autoscaling/v1 Scale). */
function handleScale(
  req: SimRequest,
  verb: Verb,
  info: ResourceInfo,
  ns: string,
  name: string,
  engine: Engine,
): SimResponse {
  const obj = engine.store.get(info, ns, name);
  if (obj === undefined) throw notFoundError(info, name);
  if (verb === 'get') return jsonResponse(200, toScale(info, obj));
  let scale: unknown;
  if (verb === 'update') {
    scale = decodeBody(req, false);
  } else {
    const contentType = req.headers['content-type'] ?? '';
    const type = patchTypeOf(contentType);
    if (type === undefined) throw unsupportedPatch(contentType);
    scale = applyPatch(
      type,
      toScale(info, obj),
      decodeBody({ ...req, headers: { ...req.headers, 'content-type': JSON_TYPE } }, false),
    );
  }
  const updated = engine.update(info, applyScale(info, obj, scale), ns, 'main', dryRunOf(req.query));
  return jsonResponse(200, toScale(info, updated));
}

function notFoundError(info: ResourceInfo, name: string): Error {
  return failure(404, 'NotFound', `${qualifiedResource(info.group, info.resource)} "${name}" not found`, {
    name,
    group: info.group,
    kind: info.resource,
  });
}

function unsupportedPatch(contentType: string): Error {
  return failure(
    415,
    'UnsupportedMediaType',
    `the simulated cluster does not support the patch type "${bodyMediaType(contentType) || 'none'}"; use application/merge-patch+json, application/strategic-merge-patch+json or application/json-patch+json (server-side apply is not supported)`,
  );
}

function updateMode(info: ResourceInfo, t: ResourceTarget): UpdateMode {
  if (t.subresource === 'status') return 'status';
  return info.subresources.has('status') ? 'main' : 'whole';
}

/** Kinds whose DELETE answers with the object (graceful or finalized kinds, custom resources). */
function returnsDeletedObject(info: ResourceInfo): boolean {
  if (info.crd !== undefined) return true;
  if (info.group === '' && (info.resource === 'pods' || info.resource === 'namespaces')) return true;
  return info.group === 'apiextensions.k8s.io';
}

function watchResponse(
  ctx: ApiContext,
  req: SimRequest,
  info: ResourceInfo,
  ns: string,
  opts: ListOptions,
  output: ObjectOutput,
): SimResponse {
  let encodeObject: ((obj: KubeObject) => string) | undefined;
  if (output === 'partial') encodeObject = (obj) => JSON.stringify(partialObject(obj));
  if (output === 'table') {
    const input = tableInput(info);
    const includeObject = includeObjectOf(req.query);
    const printer = tableOrThrow(() => tablePrinterFor(input));
    let first = true;
    encodeObject = (obj) => {
      const t = toTable(input, [obj], { includeObject, now: ctx.now(), noHeaders: !first }, printer);
      first = false;
      return JSON.stringify(t);
    };
  }
  const apiVersion = apiVersionOf(info);
  const stream = openWatch(ctx.engine.store.fresh(info), ns, opts, {
    currentRv: () => ctx.engine.store.rv,
    kind: info.kind,
    apiVersion,
    bookmarkIntervalMs: ctx.bookmarkIntervalMs,
    bufferLimit: ctx.watchBufferSize,
    signal: req.signal,
    ...(encodeObject ? { encodeObject } : {}),
    ...(ctx.faults.dropWatchesAfterMs !== undefined ? { dropAfterMs: ctx.faults.dropWatchesAfterMs } : {}),
  });
  ctx.engine.track(stream, info);
  const body = ctx.faults.watchBody(stream, req.signal);
  return { status: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-cache, private' }, body };
}
