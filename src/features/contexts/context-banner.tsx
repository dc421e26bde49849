// The current context's state, shown above the main view when it is not simply "connected":
// connecting, forbidden, unreachable (with the error and a retry) or expired credentials.
import { useQuery } from '@tanstack/react-query';
import { contextHealthQuery } from '../../react/context-health-query.ts';
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
    ...contextHealthQuery(fetch, context ?? ''),
    enabled: context !== null && !info?.error,
  });
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
