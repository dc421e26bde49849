// Per-context reachability for the context switcher: GET /clusters/{ctx}/version through the
// proxy, classified into the states a user can act on. One-shot (react-query), retried only by hand.
//
// A probe never waits longer than PROBE_TIMEOUT_MS: a cluster that accepts connections and never
// answers (a dead load balancer) would otherwise leave its row "connecting…" for the proxy's whole
// request timeout. Background probes (the switcher's rows) can go through a ContextProbeQueue so
// that hundreds of contexts never hold the browser's connections at once.
import { queryOptions } from '@tanstack/react-query';
import { clusterBasePath } from '../../proxy/contract/api.ts';
import {
  isForbidden,
  isUnauthorized,
  type StatusError,
  statusErrorFromResponse,
} from '../kube/rest/status-error.ts';
import type { ContextProbeQueue } from './context-probe-queue.ts';
import type { FetchLike } from './kube-environment.ts';

export type ContextHealth =
  | { state: 'connected'; version: string }
  /** 401: the kubeconfig credentials expired or were rejected. */
  | { state: 'expired'; message: string }
  /** 403: authenticated but not allowed to read /version. */
  | { state: 'forbidden'; message: string }
  /** Connection refused, TLS, 5xx from the proxy or apiserver, or no answer in time. */
  | { state: 'unreachable'; message: string };

/**
 * Longer than a healthy apiserver ever needs for /version (milliseconds) and than the proxy needs
 * to report a refused or reset connection, short enough that a silent cluster reads as
 * unreachable while the user still looks at it. An exec plugin that is still running (first
 * login) can exceed it: the probe then says so and the user can retry.
 */
export const PROBE_TIMEOUT_MS = 10_000;

export interface ProbeOptions {
  /**
   * Defaults to PROBE_TIMEOUT_MS. null: no limit of the browser's own, the proxy's apply (its
   * exec-plugin and request timeouts), for the selected context, whose banner says meanwhile that
   * it is still waiting and whose final answer names the cause.
   */
  timeoutMs?: number | null;
  /** Run through this queue (background probes); absent: at once (the selected context). */
  queue?: ContextProbeQueue;
}

class ProbeTimeout extends Error {}

export async function probeContext(
  fetch: FetchLike,
  context: string,
  signal?: AbortSignal,
  options: ProbeOptions = {},
): Promise<ContextHealth> {
  const timeoutMs = options.timeoutMs === undefined ? PROBE_TIMEOUT_MS : options.timeoutMs;
  const probe = () => probeWithin(fetch, context, timeoutMs, signal);
  return options.queue ? options.queue.run(probe, signal) : probe();
}

async function probeWithin(
  fetch: FetchLike,
  context: string,
  timeoutMs: number | null,
  signal: AbortSignal | undefined,
): Promise<ContextHealth> {
  // One controller aborts the request on either the caller's signal or the timeout; the timeout
  // starts only when the probe really starts (not while it waits in a queue).
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs === null ? undefined : setTimeout(() => controller.abort(new ProbeTimeout()), timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetch(`${clusterBasePath(context)}/version`, {
        signal: controller.signal,
        cache: 'no-store',
      });
    } catch (err) {
      return failed(err, signal, controller.signal, timeoutMs);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      return failed(err, signal, controller.signal, timeoutMs);
    }
    return classify(res.status, res.ok, text);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function failed(
  err: unknown,
  callerSignal: AbortSignal | undefined,
  probeSignal: AbortSignal,
  timeoutMs: number | null,
): ContextHealth {
  if (callerSignal?.aborted) throw err;
  if (probeSignal.reason instanceof ProbeTimeout && timeoutMs !== null)
    return {
      state: 'unreachable',
      message: `no answer within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}`,
    };
  return { state: 'unreachable', message: err instanceof Error ? err.message : String(err) };
}

function classify(status: number, ok: boolean, text: string): ContextHealth {
  if (!ok) {
    const err: StatusError = statusErrorFromResponse(status, text);
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

export function contextHealthQuery(fetch: FetchLike, context: string, options: ProbeOptions = {}) {
  return queryOptions({
    queryKey: ['context-health', context],
    queryFn: ({ signal }) => probeContext(fetch, context, signal, options),
    staleTime: 30_000,
    retry: false,
  });
}
