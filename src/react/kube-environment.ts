// The client machinery the views use, provided once by the composition root (main.tsx) and
// replaced wholesale in tests. No JSX here: the provider element is created in app/.
import { createContext, useContext } from 'react';
import type { DiscoveryFor } from './discovery-query.ts';
import type { TableSourceRegistry } from './table-source-registry.ts';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface KubeEnvironment {
  /** One-shot requests (discovery, contexts, /version): plain fetch through the proxy. */
  fetch: FetchLike;
  /** The context's cached discovery client (DI-11); one per cluster identity. */
  discoveryFor: DiscoveryFor;
  /** Shared live sources (one per context/GVR/namespace/selectors). */
  sources: TableSourceRegistry;
  /** What the UI should say about local persistence (src/persist/persistence-notices.ts); optional. */
  storageNotices?: StorageNoticeSource;
}

/** A read-only, subscribable list of one-line notices (one per kind), for useSyncExternalStore. */
export interface StorageNoticeSource {
  getSnapshot(): readonly { kind: string; message: string }[];
  subscribe(listener: () => void): () => void;
}

export const KubeEnvironmentContext = createContext<KubeEnvironment | null>(null);

export function useKubeEnvironment(): KubeEnvironment {
  const env = useContext(KubeEnvironmentContext);
  if (!env) throw new Error('useKubeEnvironment: render inside <KubeEnvironmentContext value={…}>');
  return env;
}
