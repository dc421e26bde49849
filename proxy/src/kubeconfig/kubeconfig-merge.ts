// KC-02: merge parsed files in precedence order. The first file that defines a name wins the
// whole entry (later files cannot add fields to it); the first non-empty current-context wins.
import type { KubeconfigDocument, NamedEntry } from './kubeconfig-file.ts';

export interface MergedKubeconfig {
  currentContext: string;
  clusters: Map<string, NamedEntry>;
  users: Map<string, NamedEntry>;
  contexts: Map<string, NamedEntry>;
}

function addFirstWins(into: Map<string, NamedEntry>, entries: NamedEntry[]): void {
  for (const entry of entries) if (!into.has(entry.name)) into.set(entry.name, entry);
}

export function mergeKubeconfigs(docs: readonly KubeconfigDocument[]): MergedKubeconfig {
  const merged: MergedKubeconfig = {
    currentContext: '',
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
  };
  for (const doc of docs) {
    if (merged.currentContext === '' && doc.currentContext !== '') merged.currentContext = doc.currentContext;
    addFirstWins(merged.clusters, doc.clusters);
    addFirstWins(merged.users, doc.users);
    addFirstWins(merged.contexts, doc.contexts);
  }
  return merged;
}
