// Per-context reachability for the context switcher: GET /clusters/{ctx}/version through the
// proxy, classified into the states a user can act on. One-shot (react-query), retried only by hand.
import { queryOptions } from '@tanstack/react-query';
import { clusterBasePath } from '../../proxy/contract/api.ts';
import {
  isForbidden,
  isUnauthorized,
  type StatusError,
  statusErrorFromResponse,
} from '../kube/rest/status-error.ts';
import type { FetchLike } from './kube-environment.ts';

export type ContextHealth =
  | { state: 'connected'; version: string }
  /** 401: the kubeconfig credentials expired or were rejected. */
  | { state: 'expired'; message: string }
  /** 403: authenticated but not allowed to read /version. */
  | { state: 'forbidden'; message: string }
  /** Connection refused, TLS, 5xx from the proxy or apiserver. */
  | { state: 'unreachable'; message: string };

export async function probeContext(
  fetch: FetchLike,
  context: string,
  signal?: AbortSignal,
): Promise<ContextHealth> {
  let res: Response;
  try {
    res = await fetch(`${clusterBasePath(context)}/version`, { signal, cache: 'no-store' });
  } catch (err) {
    if (signal?.aborted) throw err;
    return { state: 'unreachable', message: err instanceof Error ? err.message : String(err) };
  }
  const text = await res.text();
  if (!res.ok) {
    const err: StatusError = statusErrorFromResponse(res.status, text);
    if (isUnauthorized(err)) return { state: 'expired', message: err.message };
    if (isForbidden(err)) return { state: 'forbidden', message: err.message };
    return { state: 'unreachable', message: err.message };
  }
  try {
    const body = JSON.parse(text) as { gitVersion?: unknown };
    return { state: 'connected', version: typeof body.gitVersion === 'string' ? body.gitVersion : '' };
  } catch {
    return { state: 'unreachable', message: 'the /version answer was not JSON' };
  }
}

export function contextHealthQuery(fetch: FetchLike, context: string) {
  return queryOptions({
    queryKey: ['context-health', context],
    queryFn: ({ signal }) => probeContext(fetch, context, signal),
    staleTime: 30_000,
    retry: false,
  });
}
