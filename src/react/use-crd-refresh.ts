// CRDs appear and disappear in the resource tree live: a shared live source on
// customresourcedefinitions triggers a discovery refetch whenever a CRD is added, changed
// (new version, new printer columns) or deleted after the first list. If the user may not list
// CRDs, the source stops at 403 and the tree simply keeps its discovery snapshot.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { discoveryQueryKey } from './discovery-query.ts';
import { useKubeEnvironment } from './kube-environment.ts';
import type { TableSourceKey } from './table-source-registry.ts';
import { useLiveSources } from './use-live-sources.ts';

const CRDS = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

export function useCrdRefresh(context: string | null, enabled: boolean): void {
  const queryClient = useQueryClient();
  const keys = useMemo<TableSourceKey[]>(
    () =>
      context && enabled ? [{ context, gvr: CRDS, namespace: '', labelSelector: '', fieldSelector: '' }] : [],
    [context, enabled],
  );
  const sources = useLiveSources(keys);
  const { discoveryFor } = useKubeEnvironment();
  useEffect(() => {
    const source = sources[0];
    if (!source || !context) return;
    let seenFirstList = source.getSnapshot().status.lastSyncRV !== '';
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = source.subscribe((batch) => {
      const changed = batch.added.length + batch.modified.length + batch.deleted.size > 0;
      if (!seenFirstList) {
        seenFirstList = source.getSnapshot().status.lastSyncRV !== '';
        return;
      }
      if (!changed || timer) return;
      // The apiserver updates discovery shortly after the CRD is Established; coalesce bursts.
      timer = setTimeout(() => {
        timer = null;
        // The cached discovery client would answer from its TTL cache: drop it first (DI-11).
        discoveryFor(context).invalidate();
        void queryClient.invalidateQueries({ queryKey: discoveryQueryKey(context) });
      }, 300);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [sources, context, queryClient, discoveryFor]);
}
