// The shell: header (context, namespaces, view switch, palette), the resource tree on the left,
// the main view, the details panel on the right and the watch-delta log at the bottom.
import { useQuery } from '@tanstack/react-query';
import { useContext, useEffect } from 'react';
import { CommandPalette } from '../features/command-palette/command-palette.tsx';
import { ContextBanner } from '../features/contexts/context-banner.tsx';
import { ContextSwitcher } from '../features/contexts/context-switcher.tsx';
import { ObjectDetails } from '../features/details/object-details.tsx';
import { DeltaLog } from '../features/events/delta-log.tsx';
import { EventStream } from '../features/events/event-stream.tsx';
import { NamespaceSelector } from '../features/namespaces/namespace-selector.tsx';
import { namespacesOf, ResourceTableView } from '../features/resource-table/resource-table-view.tsx';
import { ResourceTree } from '../features/resource-tree/resource-tree.tsx';
import { StorageNotice } from '../features/storage/storage-notice.tsx';
import { contextsQuery } from '../react/contexts-query.ts';
import { useKubeEnvironment } from '../react/kube-environment.ts';
import { useLiveView } from '../react/use-live-sources.ts';
import { useViewKeys } from '../react/use-view-keys.ts';
import { RouteStoreContext, useNavigate, useRoute } from '../stores/route-context.ts';
import { uiStore, useUi } from '../stores/ui-store.ts';
import { useKeyboardShortcuts } from './keyboard-shortcuts.ts';

const PODS = { group: '', version: 'v1', resource: 'pods' };

/** Picks the kubeconfig's current context when the URL names none, and pods when no resource is named. */
function useDefaultContext(): void {
  const { fetch } = useKubeEnvironment();
  const route = useRoute();
  const navigate = useNavigate();
  const list = useQuery(contextsQuery(fetch)).data;
  useEffect(() => {
    if (route.context || !list) return;
    const pick = list.current ?? list.contexts[0]?.name;
    if (pick) navigate({ context: pick, gvr: route.gvr ?? PODS }, { replace: true });
  }, [route.context, route.gvr, list, navigate]);
}

/** The parts that follow the current view's rows: details and the palette's object list. */
function ViewOverlays() {
  const route = useRoute();
  const { keys } = useViewKeys({
    context: route.context,
    gvr: route.view === 'resources' ? route.gvr : null,
    namespaces: namespacesOf(route.namespaces),
    labelSelector: route.labelSelector,
    fieldSelector: route.fieldSelector,
  });
  const view = useLiveView(keys);
  return (
    <>
      {route.view === 'resources' && route.selected && <ObjectDetails />}
      <CommandPalette rows={() => view.rows} />
    </>
  );
}

export function App() {
  const routeStore = useContext(RouteStoreContext);
  if (!routeStore) throw new Error('App: render inside <Providers>');
  useKeyboardShortcuts(routeStore);
  useDefaultContext();
  const route = useRoute();
  const navigate = useNavigate();
  const deltaLogOpen = useUi((s) => s.deltaLogOpen);

  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">
          kube<b>glass</b>
        </span>
        <ContextSwitcher />
        <NamespaceSelector />
        <div role="tablist" aria-label="Main view" className="view-switch">
          <button
            type="button"
            role="tab"
            aria-selected={route.view === 'resources'}
            onClick={() => navigate({ view: 'resources' })}
          >
            Resources
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={route.view === 'events'}
            onClick={() => navigate({ view: 'events', selected: null })}
          >
            Events
          </button>
        </div>
        <span className="spacer" />
        <button
          type="button"
          className="header-button"
          onClick={() => uiStore.getState().setPaletteOpen(true)}
          aria-keyshortcuts="Control+K Meta+K"
        >
          Jump to… <kbd>Ctrl K</kbd>
        </button>
        <button
          type="button"
          className="header-button"
          aria-pressed={deltaLogOpen}
          onClick={() => uiStore.getState().toggleDeltaLog()}
        >
          Watch log
        </button>
      </header>
      <div className="app-body">
        <ResourceTree />
        <main className="main">
          <ContextBanner />
          <StorageNotice />
          {route.view === 'events' ? <EventStream /> : <ResourceTableView />}
        </main>
        <ViewOverlays />
      </div>
      {deltaLogOpen && <DeltaLog />}
    </div>
  );
}
