// Object fixtures for the cache tests: small pods with the fields the index functions read.
import type { KubeObject } from '../../api/types.ts';

export interface PodFixture {
  labels?: Record<string, string>;
  nodeName?: string;
  owners?: string[];
  uid?: string;
}

export function pod(
  namespace: string,
  name: string,
  resourceVersion: string,
  extra: PodFixture = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace,
      name,
      resourceVersion,
      uid: extra.uid ?? `uid-${namespace}-${name}`,
      ...(extra.labels ? { labels: extra.labels } : {}),
      ...(extra.owners
        ? {
            ownerReferences: extra.owners.map((uid) => ({
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: uid,
              uid,
            })),
          }
        : {}),
    },
    spec: extra.nodeName ? { nodeName: extra.nodeName } : {},
  };
}

export function rvOf(obj: KubeObject | undefined): string | undefined {
  return obj?.metadata?.resourceVersion;
}
