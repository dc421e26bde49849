// The URL is the view's state (deep links): context, group/version/resource, namespace choice,
// selectors, the selected object and the main view. parseRoute/formatRoute are pure and inverse of
// each other for every Route they produce, so a reload or a shared link lands on the same view.
// Everything travels in the query string so that any static server (and the proxy's index.html
// fallback) serves the app unchanged.
import type { GroupVersionResource } from '../kube/api/types.ts';

/**
 * Which namespaces a view shows. `default` means "the context's default namespace" (resolved once
 * the context list arrives) and is what a URL without `ns` means; `all` is every namespace.
 */
export type NamespaceChoice = { kind: 'default' } | { kind: 'all' } | { kind: 'some'; names: string[] };

export type MainView = 'resources' | 'events';

export interface ObjectRef {
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
}

export interface Route {
  context: string | null;
  gvr: GroupVersionResource | null;
  namespaces: NamespaceChoice;
  labelSelector: string;
  fieldSelector: string;
  selected: ObjectRef | null;
  view: MainView;
}

export const EMPTY_ROUTE: Route = {
  context: null,
  gvr: null,
  namespaces: { kind: 'default' },
  labelSelector: '',
  fieldSelector: '',
  selected: null,
  view: 'resources',
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** "apps/v1/deployments" or "v1/pods" (core). Anything malformed yields null, never a throw. */
export function parseGvr(text: string): GroupVersionResource | null {
  const parts = text.split('/');
  if (parts.some((p) => p === '')) return null;
  if (parts.length === 2) return { group: '', version: parts[0]!, resource: parts[1]! };
  if (parts.length === 3) return { group: parts[0]!, version: parts[1]!, resource: parts[2]! };
  return null;
}

export function formatGvr(gvr: GroupVersionResource): string {
  return gvr.group === '' ? `${gvr.version}/${gvr.resource}` : `${gvr.group}/${gvr.version}/${gvr.resource}`;
}

function parseNamespaces(value: string | null): NamespaceChoice {
  if (value === null) return { kind: 'default' };
  if (value === '*') return { kind: 'all' };
  const names = [...new Set(value.split(',').map((n) => n.trim()))].filter((n) => DNS_LABEL.test(n));
  return names.length === 0 ? { kind: 'default' } : { kind: 'some', names };
}

function parseObjectRef(value: string | null): ObjectRef | null {
  if (!value) return null;
  const parts = value.split('/');
  if (parts.length === 1 && parts[0]) return { namespace: '', name: parts[0] };
  if (parts.length === 2 && parts[1]) return { namespace: parts[0]!, name: parts[1] };
  return null;
}

/** Parse a query string ("?ctx=…" or "ctx=…"). Unknown or malformed parameters are ignored. */
export function parseRoute(search: string): Route {
  const q = new URLSearchParams(search);
  const gvrText = q.get('r');
  return {
    context: q.get('ctx') || null,
    gvr: gvrText ? parseGvr(gvrText) : null,
    namespaces: parseNamespaces(q.get('ns')),
    labelSelector: q.get('l') ?? '',
    fieldSelector: q.get('f') ?? '',
    selected: parseObjectRef(q.get('o')),
    view: q.get('v') === 'events' ? 'events' : 'resources',
  };
}

/** The query string for a route, with a leading "?" (or "" for the empty route). */
export function formatRoute(route: Route): string {
  const q = new URLSearchParams();
  if (route.context) q.set('ctx', route.context);
  if (route.view !== 'resources') q.set('v', route.view);
  if (route.gvr) q.set('r', formatGvr(route.gvr));
  if (route.namespaces.kind === 'all') q.set('ns', '*');
  if (route.namespaces.kind === 'some') q.set('ns', route.namespaces.names.join(','));
  if (route.labelSelector) q.set('l', route.labelSelector);
  if (route.fieldSelector) q.set('f', route.fieldSelector);
  if (route.selected) {
    const { namespace, name } = route.selected;
    q.set('o', namespace ? `${namespace}/${name}` : name);
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** The namespace list a view should watch: [] means all namespaces. */
export function resolveNamespaces(choice: NamespaceChoice, contextDefault: string | undefined): string[] {
  if (choice.kind === 'all') return [];
  if (choice.kind === 'some') return choice.names;
  return contextDefault ? [contextDefault] : [];
}
