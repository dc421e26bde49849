// Reading core/v1 Event objects (also what events.k8s.io/v1 serves under its own names) for the
// event stream and an object's events. Total over odd input: missing fields become "".
import type { KubeObject } from '../kube/api/types.ts';

export interface EventFields {
  type: string;
  reason: string;
  message: string;
  count: number;
  /** ms since epoch of the most recent occurrence (0 when unknown). */
  last: number;
  involved: { apiVersion: string; kind: string; namespace: string; name: string; uid: string };
  source: string;
}

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const time = (v: unknown): number => {
  const t = typeof v === 'string' ? Date.parse(v) : Number.NaN;
  return Number.isNaN(t) ? 0 : t;
};

export function eventFields(obj: KubeObject): EventFields {
  const involved = (obj.involvedObject ?? obj.regarding ?? {}) as Record<string, unknown>;
  const series = (obj.series ?? {}) as Record<string, unknown>;
  const source = (obj.source ?? {}) as Record<string, unknown>;
  const last =
    time(obj.lastTimestamp) ||
    time(series.lastObservedTime) ||
    time(obj.eventTime) ||
    time(obj.firstTimestamp) ||
    time(obj.metadata?.creationTimestamp);
  const count =
    typeof obj.count === 'number' ? obj.count : typeof series.count === 'number' ? series.count : 1;
  return {
    type: s(obj.type) || 'Normal',
    reason: s(obj.reason),
    message: s(obj.message) || s(obj.note),
    count,
    last,
    involved: {
      apiVersion: s(involved.apiVersion),
      kind: s(involved.kind),
      namespace: s(involved.namespace),
      name: s(involved.name),
      uid: s(involved.uid),
    },
    source: s(source.component) || s(obj.reportingController) || s(obj.reportingComponent),
  };
}
