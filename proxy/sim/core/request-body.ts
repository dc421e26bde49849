// Decoding what a write request carries: the JSON body (415 for protobuf, 400 for malformed
// JSON), the object's kind/apiVersion/namespace against the endpoint, dryRun, and DeleteOptions
// preconditions. Every problem is a Status error; nothing here touches the store.
import type { KubeObject } from '../../../src/kube/api/types.ts';
import { bodyMediaType } from './content-negotiation.ts';
import { apiVersionOf, type DeletePreconditions } from './object-store.ts';
import type { ResourceInfo } from './registry.ts';
import type { SimRequest } from './sim-http.ts';
import { badRequest, failure } from './status.ts';

export function decodeBody(req: SimRequest, allowEmpty: boolean): unknown {
  const body = req.body;
  if (body === undefined || body.length === 0) {
    if (allowEmpty) return undefined;
    throw badRequest('the request body is empty: an object is required');
  }
  const type = bodyMediaType(req.headers['content-type']);
  if (type === 'application/vnd.kubernetes.protobuf') {
    throw failure(
      415,
      'UnsupportedMediaType',
      'the simulated cluster does not accept protobuf request bodies (application/vnd.kubernetes.protobuf); send application/json instead',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw badRequest('the request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`json parse error: ${(err as Error).message}`);
  }
}

export function asObject(value: unknown, info: ResourceInfo): KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(`the body must be a JSON object (a ${info.kind})`);
  }
  const obj = value as KubeObject;
  if (
    obj.metadata !== undefined &&
    (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata))
  ) {
    throw badRequest('metadata must be an object');
  }
  const expected = apiVersionOf(info);
  const kind = obj.kind ?? info.kind;
  const apiVersion = obj.apiVersion ?? expected;
  if (kind !== info.kind || apiVersion !== expected) {
    throw badRequest(
      `${kind} in version "${apiVersion}" cannot be handled as a ${info.kind}: the object's kind/apiVersion does not match the endpoint (${expected}, Kind=${info.kind})`,
    );
  }
  return obj;
}

export function checkNamespace(obj: KubeObject, info: ResourceInfo, namespace: string): void {
  const own = obj.metadata?.namespace;
  if (info.namespaced && own !== undefined && own !== '' && own !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

export function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}

export function preconditionsOf(options: unknown): DeletePreconditions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw badRequest('DeleteOptions must be a JSON object');
  }
  const pre = (options as { preconditions?: unknown }).preconditions;
  if (pre === undefined || pre === null) return {};
  if (typeof pre !== 'object' || Array.isArray(pre)) throw badRequest('preconditions must be an object');
  const { uid, resourceVersion } = pre as { uid?: unknown; resourceVersion?: unknown };
  const out: DeletePreconditions = {};
  if (typeof uid === 'string') out.uid = uid;
  if (typeof resourceVersion === 'string') out.resourceVersion = resourceVersion;
  return out;
}
