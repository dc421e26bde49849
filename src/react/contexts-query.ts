// GET /-/contexts: the kubeconfig's contexts (never a credential, KC-09), current context first.
import { queryOptions } from '@tanstack/react-query';
import { type ContextInfo, type ContextList, ROUTES } from '../../proxy/contract/api.ts';
import { statusErrorFromResponse } from '../kube/rest/status-error.ts';
import type { FetchLike } from './kube-environment.ts';
import { readLocal, writeLocal } from './local-cache.ts';

function isContextList(v: unknown): v is ContextList {
  if (typeof v !== 'object' || v === null) return false;
  const { current, contexts } = v as { current?: unknown; contexts?: unknown };
  return (
    (current === null || typeof current === 'string') &&
    Array.isArray(contexts) &&
    contexts.every((c) => typeof c === 'object' && c !== null && typeof (c as ContextInfo).name === 'string')
  );
}

export async function fetchContexts(fetch: FetchLike, signal?: AbortSignal): Promise<ContextList> {
  const res = await fetch(ROUTES.contexts, {
    headers: { accept: 'application/json' },
    signal,
    cache: 'no-store',
  });
  const text = await res.text();
  if (!res.ok) throw statusErrorFromResponse(res.status, text);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${ROUTES.contexts} did not return JSON`);
  }
  if (!isContextList(body)) throw new Error(`${ROUTES.contexts} returned an unexpected shape`);
  return body;
}

/** Current context first, then the rest by name. */
export function orderContexts(list: ContextList): ContextInfo[] {
  return [...list.contexts].sort((a, b) =>
    a.name === list.current ? -1 : b.name === list.current ? 1 : a.name.localeCompare(b.name),
  );
}

export function contextsQuery(fetch: FetchLike) {
  return queryOptions({
    queryKey: ['contexts'],
    queryFn: async ({ signal }) => {
      const list = await fetchContexts(fetch, signal);
      writeLocal('contexts', list);
      return list;
    },
    initialData: () => readLocal('contexts', isContextList),
    initialDataUpdatedAt: 0, // the stored copy is stale by definition: refetch at once
    staleTime: 60_000,
  });
}
