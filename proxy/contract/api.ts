// Wire contract between the browser app, the proxy and the e2e tests.
// Types and constants only: this file imports nothing and is safe to import from anywhere.

/** The proxy's own routes. Everything else under the origin is the app (index.html fallback). */
export const ROUTES = {
  /** GET: the kubeconfig's contexts, never a credential. Body: ContextList. */
  contexts: '/-/contexts',
  /** Liveness of the proxy itself (no session needed). */
  healthz: '/-/healthz',
  /** Prefix of forwarded API calls: /clusters/{context}/{api|apis|version|openapi}/... */
  clusters: '/clusters/',
} as const;

/** Query parameter carrying the session secret in the URL the proxy prints (exchanged once for a cookie). */
export const SESSION_QUERY_PARAM = 'token';
/** HttpOnly; SameSite=Strict cookie that carries the session after the exchange. */
export const SESSION_COOKIE = 'kubeglass_session';

/** The API path prefixes a forward may target below /clusters/{context}/. */
export const FORWARDABLE_ROOTS = ['api', 'apis', 'version', 'openapi'] as const;

export interface ContextInfo {
  name: string;
  cluster: string;
  /** The cluster's server URL as written in the kubeconfig (no credential ever appears in it). */
  server: string;
  /** The context's default namespace ("default" when unset). */
  namespace: string;
  user: string;
  /** Set when this context cannot be used as configured (bad file, missing cert, …): a human-readable reason. */
  error?: string;
  /** True for the built-in simulated cluster. */
  simulated?: boolean;
}

export interface ContextList {
  current: string | null;
  contexts: ContextInfo[];
}

/** Build the browser-facing base path of one context's API. */
export function clusterBasePath(context: string): string {
  return `${ROUTES.clusters}${encodeURIComponent(context)}`;
}
