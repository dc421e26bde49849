// The current context's state, shown above the main view when it is not simply "connected":
// connecting, forbidden, unreachable (with the error and a retry) or expired credentials.
//
// The selected context's probe has no browser-side timeout: the proxy's answer names the cause
// (an exec plugin that timed out, a refused connection, a 504). While it is outstanding for longer
// than PROBE_TIMEOUT_MS the banner says so, so a silent cluster never looks like a slow spinner.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { contextHealthQuery, PROBE_TIMEOUT_MS } from '../../react/context-health-query.ts';
import { contextsQuery } from '../../react/contexts-query.ts';
import { useKubeEnvironment } from '../../react/kube-environment.ts';
import { useRoute } from '../../stores/route-context.ts';
import { StateMessage } from '../../ui/state-message.tsx';

export function ContextBanner() {
  const { fetch } = useKubeEnvironment();
  const { context } = useRoute();
  const contexts = useQuery(contextsQuery(fetch));
  const info = contexts.data?.contexts.find((c) => c.name === context);
  const health = useQuery({
    ...contextHealthQuery(fetch, context ?? '', { timeoutMs: null }),
    enabled: context !== null && !info?.error,
  });
  const slow = useTrueAfter(health.isPending && health.isFetching, PROBE_TIMEOUT_MS, context);
  if (!context) return null;
  if (contexts.data && !info) {
    return <StateMessage kind="error" title={`Context “${context}” is not in your kubeconfig`} />;
  }
  if (info?.error)
    return <StateMessage kind="error" title={`Context “${context}” is misconfigured`} detail={info.error} />;
  if (health.isPending)
    return (
      <div className="context-banner" role="status">
        Connecting to {context}…
        {slow &&
          ` no answer after ${Math.round(PROBE_TIMEOUT_MS / 1000)} s: the cluster or its credential plugin is not responding; still waiting for the proxy's verdict.`}
      </div>
    );
  const h = health.data;
  if (!h || h.state === 'connected') return null;
  const retry = () => void health.refetch();
  if (h.state === 'expired')
    return (
      <StateMessage
        kind="expired"
        title={`The credentials for ${context} expired`}
        detail={h.message}
        onRetry={retry}
      />
    );
  if (h.state === 'forbidden')
    return (
      <StateMessage
        kind="forbidden"
        title={`${context} denies access to the API server`}
        detail={h.message}
        onRetry={retry}
      />
    );
  return <StateMessage kind="error" title={`${context} is unreachable`} detail={h.message} onRetry={retry} />;
}

/** True once `active` has held for `ms` without a break; reset when `active` or `key` changes. */
function useTrueAfter(active: boolean, ms: number, key: unknown): boolean {
  const [reached, setReached] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key restarts the wait for a new context
  useEffect(() => {
    setReached(false);
    if (!active) return;
    const timer = setTimeout(() => setReached(true), ms);
    return () => clearTimeout(timer);
  }, [active, ms, key]);
  return reached;
}
