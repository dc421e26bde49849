// The context switcher's search: every whitespace-separated term must appear (case-insensitive)
// in the context's name, cluster, server, user or namespace. Order is kept, so the current
// context stays first when it matches. An empty query matches everything.
import type { ContextInfo } from '../../../proxy/contract/api.ts';

export function filterContexts(contexts: readonly ContextInfo[], query: string): ContextInfo[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...contexts];
  return contexts.filter((c) => {
    const haystack = `${c.name}\n${c.cluster}\n${c.server}\n${c.user}\n${c.namespace}`.toLowerCase();
    return terms.every((t) => haystack.includes(t));
  });
}
