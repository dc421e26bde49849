// The scale subresource (autoscaling/v1 Scale) of workloads and of custom resources that declare
// subresources.scale: a view of an object's replica counts that `kubectl scale` reads and writes.
// Built-in kinds keep replicas at spec.replicas / status.replicas; custom resources at the CRD's
// specReplicasPath / statusReplicasPath (labelSelectorPath for status.selector).
import type { KubeObject } from '../../../src/kube/api/types.ts';
import type { ResourceInfo, ScalePaths } from './registry.ts';
import { badRequest, conflict, type FieldProblem, invalid } from './status.ts';

const BUILTIN: ScalePaths = { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' };

function pathOf(info: ResourceInfo): ScalePaths {
  return info.crd?.scale ?? BUILTIN;
}

function segments(path: string): string[] {
  if (!path.startsWith('.') || path.length < 2) throw badRequest(`unsupported scale path "${path}"`);
  return path.slice(1).split('.');
}

function read(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const s of segments(path)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

/** A copy of obj with `value` at `path`, copying each object on the way (stored objects are frozen). */
function write(obj: KubeObject, path: string, value: unknown): KubeObject {
  const keys = segments(path);
  const set = (node: unknown, i: number): Record<string, unknown> => {
    const copy: Record<string, unknown> =
      typeof node === 'object' && node !== null ? { ...(node as Record<string, unknown>) } : {};
    const key = keys[i] as string;
    copy[key] = i === keys.length - 1 ? value : set(copy[key], i + 1);
    return copy;
  };
  return set(obj, 0) as KubeObject;
}

/** metav1.LabelSelector (or an RC's plain map) as the selector string Scale.status carries. */
function selectorString(selector: unknown): string {
  if (typeof selector !== 'object' || selector === null) return '';
  const s = selector as {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  const parts: string[] = [];
  const labels =
    s.matchLabels ?? (s.matchExpressions === undefined ? (selector as Record<string, string>) : {});
  for (const [k, v] of Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(`${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const op = e.operator.toLowerCase();
    if (op === 'exists') parts.push(e.key);
    else if (op === 'doesnotexist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`);
  }
  return parts.join(',');
}

/** The Scale view of an object. */
export function toScale(info: ResourceInfo, obj: KubeObject): KubeObject {
  const paths = pathOf(info);
  const spec = read(obj, paths.specReplicasPath);
  const status = read(obj, paths.statusReplicasPath);
  const selector = paths.labelSelectorPath
    ? read(obj, paths.labelSelectorPath)
    : selectorString(read(obj, '.spec.selector'));
  const m = obj.metadata ?? {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: typeof spec === 'number' ? spec : 0 },
    status: {
      replicas: typeof status === 'number' ? status : 0,
      ...(typeof selector === 'string' && selector !== '' ? { selector } : {}),
    },
  };
}

/**
 * The object with the replicas a Scale asks for. A Scale carrying a resourceVersion must match the
 * object's (409 otherwise); replicas must be a non-negative integer (422 otherwise).
 */
export function applyScale(info: ResourceInfo, obj: KubeObject, scale: unknown): KubeObject {
  if (typeof scale !== 'object' || scale === null || Array.isArray(scale))
    throw badRequest('the body must be a Scale object');
  const s = scale as {
    kind?: unknown;
    metadata?: { resourceVersion?: unknown };
    spec?: { replicas?: unknown };
  };
  if (s.kind !== undefined && s.kind !== 'Scale')
    throw badRequest(`${String(s.kind)} cannot be handled as a Scale`);
  const name = obj.metadata?.name ?? '';
  const rv = s.metadata?.resourceVersion;
  if (typeof rv === 'string' && rv !== '' && rv !== obj.metadata?.resourceVersion) {
    throw conflict(
      info.group,
      info.resource,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    );
  }
  const replicas = s.spec?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    const problem: FieldProblem = {
      type: 'FieldValueInvalid',
      field: 'spec.replicas',
      detail: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    };
    throw invalid('autoscaling', 'Scale', name, [problem]);
  }
  const next = write(obj, pathOf(info).specReplicasPath, replicas);
  // The write goes through a plain update: drop the RV so the Scale's own check above is the only one.
  return { ...next, metadata: { ...obj.metadata, resourceVersion: undefined } };
}
