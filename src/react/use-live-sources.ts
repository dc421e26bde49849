// useSyncExternalStore over one or more LiveSources (one per namespace when several are chosen).
// The snapshot identity is the tuple of source versions, so React re-renders once per frame batch.
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useKubeEnvironment } from './kube-environment.ts';
import type { LiveSource, SyncStatus } from './live-source.ts';
import type { RowObject, TableColumnDefinition } from './server-table.ts';
import { sourceId, type TableSourceKey } from './table-source-registry.ts';

export interface LiveView {
  sources: readonly LiveSource[];
  /** All sources' rows; built on first read (a 100k-row table that keeps its own order never asks). */
  readonly rows: readonly RowObject[];
  /** The number of rows, O(1). */
  total: number;
  columns: readonly TableColumnDefinition[];
  /** One status per source, in key order. */
  statuses: readonly SyncStatus[];
}

/** Retain the sources for keys while mounted. Keys are compared by value. */
export function useLiveSources(keys: readonly TableSourceKey[]): readonly LiveSource[] {
  const { sources: registry } = useKubeEnvironment();
  const ids = keys.map(sourceId).join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: keys are identified by their ids
  const sources = useMemo(() => keys.map((k) => registry.get(k)), [registry, ids]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: keys are identified by their ids
  useEffect(() => {
    const releases = keys.map((k) => registry.retain(k));
    return () => {
      for (const release of releases) release();
    };
  }, [registry, ids]);
  return sources;
}

export function useLiveView(keys: readonly TableSourceKey[]): LiveView {
  const sources = useLiveSources(keys);
  const subscribe = useMemo(
    () => (onChange: () => void) => {
      const offs = sources.map((s) => s.subscribe(onChange));
      return () => {
        for (const off of offs) off();
      };
    },
    [sources],
  );
  const versions = useSyncExternalStore(subscribe, () =>
    sources.map((s) => s.getSnapshot().version).join(','),
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: versions is the change signal for the snapshots
  return useMemo(() => {
    const snaps = sources.map((s) => s.getSnapshot());
    let rows: readonly RowObject[] | undefined;
    const columns = snaps.find((s) => s.columns.length > 0)?.columns ?? [];
    return {
      sources,
      get rows() {
        rows ??= snaps.length === 1 ? snaps[0]!.rows : snaps.flatMap((s) => s.rows);
        return rows;
      },
      total: snaps.reduce((n, s) => n + s.count, 0),
      columns,
      statuses: snaps.map((s) => s.status),
    };
  }, [sources, versions]);
}
