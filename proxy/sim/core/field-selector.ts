// Field selectors as the apiserver parses and applies them (apimachinery pkg/fields): terms
// `field=value`, `field==value`, `field!=value` joined by ',' (AND), with `\,` `\=` `\\` escapes in
// values. Only the fields a resource's storage exposes can be selected on; any other field is a
// 400 "field label not supported", as the real conversion functions answer.
import type { KubeObject } from '../../../src/kube/api/types.ts';
import { badRequest } from './status.ts';

export interface FieldRequirement {
  field: string;
  operator: '=' | '==' | '!=';
  value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  matches(obj: KubeObject): boolean;
}

type FieldGetter = (obj: KubeObject) => string;

function path(obj: KubeObject, ...keys: string[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function str(...keys: string[]): FieldGetter {
  return (obj) => {
    const v = path(obj, ...keys);
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return '';
  };
}

const COMMON: Record<string, FieldGetter> = {
  'metadata.name': str('metadata', 'name'),
  'metadata.namespace': str('metadata', 'namespace'),
};

// Per "group/resource" (core group as ""), the extra fields the real registry strategies expose
// (pkg/registry/*/strategy.go ToSelectableFields).
const EXTRA: Record<string, Record<string, FieldGetter>> = {
  '/pods': {
    'spec.nodeName': str('spec', 'nodeName'),
    'spec.restartPolicy': str('spec', 'restartPolicy'),
    'spec.schedulerName': str('spec', 'schedulerName'),
    'spec.serviceAccountName': str('spec', 'serviceAccountName'),
    'spec.hostNetwork': (o) => (path(o, 'spec', 'hostNetwork') === true ? 'true' : 'false'),
    'status.phase': str('status', 'phase'),
    'status.podIP': str('status', 'podIP'),
    'status.nominatedNodeName': str('status', 'nominatedNodeName'),
  },
  '/events': {
    'involvedObject.kind': str('involvedObject', 'kind'),
    'involvedObject.namespace': str('involvedObject', 'namespace'),
    'involvedObject.name': str('involvedObject', 'name'),
    'involvedObject.uid': str('involvedObject', 'uid'),
    'involvedObject.apiVersion': str('involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': str('involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': str('involvedObject', 'fieldPath'),
    reason: str('reason'),
    reportingComponent: str('reportingComponent'),
    source: str('source', 'component'),
    type: str('type'),
  },
  '/secrets': { type: str('type') },
  '/namespaces': { 'status.phase': str('status', 'phase') },
  '/nodes': { 'spec.unschedulable': (o) => (path(o, 'spec', 'unschedulable') === true ? 'true' : 'false') },
  '/replicationcontrollers': { 'status.replicas': str('status', 'replicas') },
  '/services': { 'spec.clusterIP': str('spec', 'clusterIP'), 'spec.type': str('spec', 'type') },
  'apps/replicasets': { 'status.replicas': str('status', 'replicas') },
  'batch/jobs': { 'status.successful': str('status', 'successful') },
  'certificates.k8s.io/certificatesigningrequests': { 'spec.signerName': str('spec', 'signerName') },
};

function gettersFor(group: string, resource: string): Record<string, FieldGetter> {
  const extra = EXTRA[`${group}/${resource}`];
  return extra === undefined ? COMMON : { ...COMMON, ...extra };
}

/** The field names a resource supports (for documentation and error messages). */
export function supportedFields(group: string, resource: string): string[] {
  return Object.keys(gettersFor(group, resource));
}

/** Split on an unescaped separator, keeping escapes in place for the later unescape. */
function splitUnescaped(input: string, sep: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '\\') {
      i++;
    } else if (c === sep) {
      parts.push(input.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(input.slice(start));
  return parts;
}

function unescapeValue(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c !== '\\') {
      if (c === '=' || c === ',') {
        throw badRequest(`invalid field selector: unescaped '${c}' in value "${raw}"`);
      }
      out += c;
      continue;
    }
    const next = raw[i + 1];
    if (next !== '\\' && next !== ',' && next !== '=') {
      throw badRequest(`invalid field selector: invalid escape sequence in value "${raw}"`);
    }
    out += next;
    i++;
  }
  return out;
}

function parseTerm(term: string): FieldRequirement {
  // Operators are tried in the order upstream tries them, so "a!=b" is never read as "a!" = "b".
  for (const operator of ['!=', '==', '='] as const) {
    const at = findUnescaped(term, operator);
    if (at >= 0) {
      const field = term.slice(0, at).trim();
      if (field === '') throw badRequest(`invalid field selector: "${term}": missing field name`);
      return { field, operator, value: unescapeValue(term.slice(at + operator.length)) };
    }
  }
  throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
}

function findUnescaped(term: string, needle: string): number {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') {
      i++;
    } else if (term.startsWith(needle, i)) {
      return i;
    }
  }
  return -1;
}

/**
 * Parse a fieldSelector for one resource. Throws SimStatusError 400 on a syntax error or a field
 * the resource does not support.
 */
export function parseFieldSelector(input: string, group: string, resource: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  if (input.trim() !== '') {
    for (const term of splitUnescaped(input, ',')) {
      if (term.trim() === '') throw badRequest(`invalid field selector: empty term in "${input}"`);
      requirements.push(parseTerm(term));
    }
  }
  const getters = gettersFor(group, resource);
  const bound = requirements.map((r) => {
    const get = getters[r.field];
    if (get === undefined) throw badRequest(`field label not supported: ${r.field}`);
    return { r, get };
  });
  return {
    requirements,
    matches: (obj) =>
      bound.every(({ r, get }) => (r.operator === '!=' ? get(obj) !== r.value : get(obj) === r.value)),
  };
}

/** Matches every object (an absent or empty fieldSelector). */
export const EVERYTHING_FIELDS: FieldSelector = { requirements: [], matches: () => true };
