// What a request path addresses, decoded the way the apiserver's RequestInfoFactory does:
// discovery roots, OpenAPI, health endpoints, and resource paths
// {/api/v1 | /apis/g/v}[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]].
import { badRequest } from './status.ts';

export type RequestTarget =
  | { kind: 'root' }
  | { kind: 'version' }
  | { kind: 'health'; name: string }
  | { kind: 'openapi'; segments: string[] }
  | { kind: 'api' }
  | { kind: 'apiVersion'; version: string }
  | { kind: 'apis' }
  | { kind: 'group'; group: string }
  | { kind: 'groupVersion'; group: string; version: string }
  | ResourceTarget
  | { kind: 'unknown' };

export interface ResourceTarget {
  kind: 'resource';
  group: string;
  version: string;
  /** "" when the path had no namespaces/{ns} segment. */
  namespace: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** Segments past the subresource (proxy paths); never served here. */
  extra: boolean;
}

/** Subresources of a namespace that sit directly after /namespaces/{name}. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function decodeSegments(path: string): string[] {
  const raw = path.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  return raw.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw badRequest(`malformed path segment "${s}"`);
    }
  });
}

function resourceTarget(group: string, version: string, parts: string[]): RequestTarget {
  let namespace = '';
  let rest = parts;
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1] as string;
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] as string)) rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (resource === undefined || resource === '' || name === '' || subresource === '')
    return { kind: 'unknown' };
  const target: ResourceTarget = {
    kind: 'resource',
    group,
    version,
    namespace,
    resource,
    extra: rest.length > 3,
  };
  if (name !== undefined) target.name = name;
  if (subresource !== undefined) target.subresource = subresource;
  return target;
}

export function parseRequestPath(path: string): RequestTarget {
  const segs = decodeSegments(path);
  const [first, second, third] = segs;
  if (first === undefined) return { kind: 'root' };
  if (segs.length === 1 && first === 'version') return { kind: 'version' };
  if (segs.length === 1 && (first === 'healthz' || first === 'livez' || first === 'readyz')) {
    return { kind: 'health', name: first };
  }
  if (first === 'openapi') return { kind: 'openapi', segments: segs.slice(1) };
  if (first === 'api') {
    if (second === undefined) return { kind: 'api' };
    if (third === undefined) return { kind: 'apiVersion', version: second };
    return resourceTarget('', second, segs.slice(2));
  }
  if (first === 'apis') {
    if (second === undefined) return { kind: 'apis' };
    if (third === undefined) return { kind: 'group', group: second };
    if (segs.length === 3) return { kind: 'groupVersion', group: second, version: third };
    return resourceTarget(second, third, segs.slice(3));
  }
  return { kind: 'unknown' };
}
