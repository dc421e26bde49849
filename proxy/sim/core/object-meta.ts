// What the apiserver's generic registry does to an object's metadata on create and update, and
// the validation every object gets (names, labels, annotations). Pure functions: the store decides
// when to call them and owns the resourceVersion counter.
import type { KubeObject, ObjectMeta } from '../../../src/kube/api/types.ts';
import type { ResourceInfo } from './registry.ts';
import { type FieldProblem, invalid } from './status.ts';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** The alphabet and length of names.SimpleNameGenerator (no vowels, no confusable digits). */
const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const GENERATE_LENGTH = 5;

export function generateNameSuffix(random: () => number = Math.random): string {
  let out = '';
  for (let i = 0; i < GENERATE_LENGTH; i++) {
    out += GENERATE_ALPHABET[Math.floor(random() * GENERATE_ALPHABET.length)];
  }
  return out;
}

/** The last second formatted, so a burst of writes formats each second once. */
let lastSecond = Number.NaN;
let lastText = '';

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastText = `${new Date(second * 1000).toISOString().slice(0, 19)}Z`;
  }
  return lastText;
}

function nameProblem(info: ResourceInfo, name: string): string | undefined {
  if (info.group === '' && info.resource === 'namespaces') {
    return name.length <= 63 && DNS_LABEL.test(name)
      ? undefined
      : `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`;
  }
  // RBAC names (system:controller:…) only need to be valid path segments.
  if (info.group === 'rbac.authorization.k8s.io') {
    return name === '.' || name === '..' || name.includes('/') || name.includes('%')
      ? `Invalid value: "${name}": may not contain '/' or '%' and may not be '.' or '..'`
      : undefined;
  }
  return name.length <= 253 && DNS_SUBDOMAIN.test(name)
    ? undefined
    : `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`;
}

function validKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

function stringMapProblems(
  field: string,
  value: unknown,
  checkValue: (v: string) => boolean,
  problems: FieldProblem[],
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ type: 'FieldValueInvalid', field, detail: 'Invalid value: must be a map of strings' });
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (!validKey(k)) {
      problems.push({
        type: 'FieldValueInvalid',
        field: `${field}`,
        detail: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      });
    } else if (typeof v !== 'string') {
      problems.push({
        type: 'FieldValueInvalid',
        field: `${field}[${k}]`,
        detail: 'Invalid value: must be a string',
      });
    } else if (!checkValue(v)) {
      problems.push({
        type: 'FieldValueInvalid',
        field: `${field}[${k}]`,
        detail: `Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      });
    }
  }
}

/** 422 Invalid when the object's metadata is not acceptable; `name` is the final name. */
export function validateMeta(info: ResourceInfo, meta: ObjectMeta, name: string): void {
  const problems: FieldProblem[] = [];
  if (name === '') {
    problems.push({
      type: 'FieldValueRequired',
      field: 'metadata.name',
      detail: 'Required value: name or generateName is required',
    });
  } else {
    const p = nameProblem(info, name);
    if (p !== undefined) problems.push({ type: 'FieldValueInvalid', field: 'metadata.name', detail: p });
  }
  stringMapProblems(
    'metadata.labels',
    meta.labels,
    (v) => v === '' || (v.length <= 63 && LABEL_NAME.test(v)),
    problems,
  );
  stringMapProblems('metadata.annotations', meta.annotations, () => true, problems);
  if (problems.length > 0) throw invalid(info.group, info.kind, name, problems);
}

/** Fields that are not content: a change limited to these never bumps metadata.generation. */
const NOT_SPEC = new Set(['metadata', 'status', 'apiVersion', 'kind']);

/** Structural equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let kb = 0;
  for (const k in rb) if (rb[k] !== undefined) kb++;
  let count = 0;
  for (const k of ka) {
    if (ra[k] === undefined) continue;
    count++;
    if (!jsonEqual(ra[k], rb[k])) return false;
  }
  return count === kb;
}

/** The spec-ish part (everything but metadata/status/apiVersion/kind) differs. */
export function specChanged(a: KubeObject, b: KubeObject): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (NOT_SPEC.has(k)) continue;
    if (!jsonEqual(a[k], b[k])) return true;
  }
  return false;
}

/** Equal apart from metadata.resourceVersion: such an update is a no-op and writes nothing. */
export function sameExceptResourceVersion(a: KubeObject, b: KubeObject): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === 'metadata') {
      const ma = { ...a.metadata, resourceVersion: undefined };
      const mb = { ...b.metadata, resourceVersion: undefined };
      if (!jsonEqual(ma, mb)) return false;
    } else if (!jsonEqual(a[k], b[k])) {
      return false;
    }
  }
  return true;
}
