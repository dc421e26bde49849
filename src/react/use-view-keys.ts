// The live sources a resource view needs: one per chosen namespace for a namespaced resource
// ([""] = all namespaces), one cluster-wide for a cluster-scoped one. Waits for discovery to know
// the scope, and for the context list when the view uses the context's default namespace.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { GroupVersionResource } from '../kube/api/types.ts';
import { contextsQuery } from './contexts-query.ts';
import { discoveryQuery } from './discovery-query.ts';
import { useKubeEnvironment } from './kube-environment.ts';
import { type CatalogResource, findResource } from './resource-catalog.ts';
import type { TableSourceKey } from './table-source-registry.ts';

export interface ViewSpec {
  context: string | null;
  gvr: GroupVersionResource | null;
  /** null = the context's default namespace; [] = all namespaces. */
  namespaces: readonly string[] | null;
  labelSelector: string;
  fieldSelector: string;
}

export interface ViewKeys {
  keys: readonly TableSourceKey[];
  resource: CatalogResource | undefined;
  /** The namespaces actually watched ([] = all). */
  namespaces: readonly string[];
  /** False while discovery or the context list is still needed to decide. */
  ready: boolean;
}

export function useViewKeys(spec: ViewSpec): ViewKeys {
  const { fetch, discoveryFor } = useKubeEnvironment();
  const catalog = useQuery(discoveryQuery(discoveryFor, spec.context)).data;
  const contexts = useQuery(contextsQuery(fetch)).data;
  const resource = spec.gvr ? findResource(catalog, spec.gvr) : undefined;
  const defaultNs = contexts?.contexts.find((c) => c.name === spec.context)?.namespace;
  const nsKey = spec.namespaces === null ? (defaultNs === undefined ? null : [defaultNs]) : spec.namespaces;
  const { context, gvr, labelSelector, fieldSelector } = spec;
  // The context list is awaited even for "all namespaces": the row cache is keyed by its identity.
  const ready =
    context !== null && gvr !== null && resource !== undefined && nsKey !== null && contexts !== undefined;
  const namespaced = resource?.namespaced ?? true;
  const nsText = nsKey?.join(',') ?? '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: nsText and gvr fields identify the inputs by value
  return useMemo(() => {
    if (!ready || !context || !gvr || !nsKey) return { keys: [], resource, namespaces: [], ready: false };
    const list = namespaced && nsKey.length > 0 ? nsKey : [''];
    const keys = list.map((namespace) => ({ context, gvr, namespace, labelSelector, fieldSelector }));
    return { keys, resource, namespaces: namespaced ? nsKey : [], ready: true };
  }, [
    ready,
    context,
    gvr?.group,
    gvr?.version,
    gvr?.resource,
    nsText,
    namespaced,
    labelSelector,
    fieldSelector,
    resource,
  ]);
}
