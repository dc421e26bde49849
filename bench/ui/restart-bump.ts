// The pod change the ui benchmark commits: the first container's restartCount goes up by one (so
// the server-side Table's RESTARTS cell of a running pod shows one more) and an annotation records
// the commit time (Date.now() in the simulated cluster's process), so the change is visible on
// screen and its commit time travels with the object.
import type { KubeObject } from '../../src/kube/api/types.ts';

export const COMMITTED_AT_ANNOTATION = 'bench.kubeglass.dev/committed-at';

/**
 * A copy of `pod` with the restart count of its first container incremented and the commit-time
 * annotation set; the copy has no resourceVersion (the update assigns one). A pod without
 * container statuses only gets the annotation (its RESTARTS cell cannot change); `bumped` says
 * which happened. The input is not modified.
 */
export function bumpRestarts(pod: KubeObject, committedAt: number): { pod: KubeObject; bumped: boolean } {
  const next = structuredClone(pod);
  const { resourceVersion: _dropped, ...metadata } = next.metadata ?? {};
  next.metadata = {
    ...metadata,
    annotations: { ...metadata.annotations, [COMMITTED_AT_ANNOTATION]: String(committedAt) },
  };
  const status = next.status;
  const statuses =
    typeof status === 'object' && status !== null
      ? (status as { containerStatuses?: unknown }).containerStatuses
      : undefined;
  const first: unknown = Array.isArray(statuses) ? statuses[0] : undefined;
  if (typeof first !== 'object' || first === null) return { pod: next, bumped: false };
  const cs = first as { restartCount?: unknown };
  cs.restartCount = (typeof cs.restartCount === 'number' ? cs.restartCount : 0) + 1;
  return { pod: next, bumped: true };
}
