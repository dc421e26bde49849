// The context switcher: every kubeconfig context from GET /-/contexts, the current one first, with
// a search box and each context's reachability. Choosing a context keeps the resource type and
// resets the namespaces to the context's default.
//
// Built for kubeconfigs with hundreds of contexts, some of them dead: the list is virtualised, and
// only rendered rows probe their context, at most PROBES_IN_FLIGHT at a time, so an unreachable
// cluster neither slows the list nor holds the connections the current view needs.
import { useQuery } from '@tanstack/react-query';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { ContextProbeQueue } from '../../react/context-probe-queue.ts';
import { contextsQuery, orderContexts } from '../../react/contexts-query.ts';
import { useKubeEnvironment } from '../../react/kube-environment.ts';
import { useNavigate, useRoute } from '../../stores/route-context.ts';
import { ContextOption } from './context-option.tsx';
import { filterContexts } from './filter-contexts.ts';

export { healthText } from './context-option.tsx';

/**
 * Background probes in flight at once. The browser gives an origin six HTTP/1.1 connections
 * (BR-09); three for probes leaves three for the view's lists and discovery even when every
 * probed cluster is silent.
 */
export const PROBES_IN_FLIGHT = 3;
/** Fixed row height (three text lines): lets the list virtualise without measuring. */
const ROW_HEIGHT = 60;
/** The list's visible height; matches .context-list's max-height in app.css. */
const LIST_HEIGHT = 360;

export function ContextSwitcher() {
  const { fetch } = useKubeEnvironment();
  const route = useRoute();
  const navigate = useNavigate();
  const list = useQuery(contextsQuery(fetch));
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const contexts = useMemo(() => (list.data ? orderContexts(list.data) : []), [list.data]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const choose = (name: string) => {
    setOpen(false);
    if (name !== route.context) navigate({ context: name, namespaces: { kind: 'default' }, selected: null });
  };

  const current = contexts.find((c) => c.name === route.context);
  return (
    <div className="context-switcher" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="header-button"
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-label={`Context: ${route.context ?? 'none'}`}
        onClick={() => setOpen((o) => !o)}
        disabled={!list.data}
      >
        <span className="header-label">context</span>
        <span className="header-value">{list.isPending ? 'loading…' : (route.context ?? 'choose')}</span>
        {current?.simulated && <span className="badge">sim</span>}
        <span aria-hidden="true">▾</span>
      </button>
      {list.isError && (
        <span role="alert" className="inline-error">
          Could not load contexts: {list.error.message}{' '}
          <button type="button" className="link-button" onClick={() => void list.refetch()}>
            Retry
          </button>
        </span>
      )}
      {open && (
        <ContextPicker
          contexts={contexts}
          current={list.data?.current ?? null}
          selected={route.context}
          onChoose={choose}
          onClose={() => {
            setOpen(false);
            buttonRef.current?.focus(); // Escape gives the keyboard back where it came from
          }}
        />
      )}
    </div>
  );
}

interface ContextPickerProps {
  contexts: ReturnType<typeof orderContexts>;
  /** The kubeconfig's current-context. */
  current: string | null;
  /** The context the app shows. */
  selected: string | null;
  onChoose(name: string): void;
  onClose(): void;
}

function ContextPicker(props: ContextPickerProps) {
  const { contexts, onChoose } = props;
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  // One queue per open picker: closing it drops whatever still waits (the rows unmount and their
  // probes' signals abort).
  const [queue] = useState(() => new ContextProbeQueue(PROBES_IN_FLIGHT));
  const listId = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => filterContexts(contexts, query), [contexts, query]);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 2,
    getItemKey: (i) => shown[i]?.name ?? i,
    // Before the list is measured, and where layout reports no size (jsdom), assume its styled
    // height, so the first screenful of rows renders (and probes) either way.
    initialRect: { width: 360, height: LIST_HEIGHT },
    observeElementRect: (instance, cb) =>
      observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : { ...rect, height: LIST_HEIGHT })),
  });
  const activeIndex = Math.min(active, shown.length - 1);
  const optionId = (i: number) => `${listId}-${i}`;

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const move = (to: number) => {
      e.preventDefault();
      const next = Math.max(0, Math.min(shown.length - 1, to));
      setActive(next);
      virtualizer.scrollToIndex(next, { align: 'auto' });
    };
    if (e.key === 'ArrowDown') move(activeIndex + 1);
    else if (e.key === 'ArrowUp') move(activeIndex - 1);
    else if (e.key === 'PageDown') move(activeIndex + 6);
    else if (e.key === 'PageUp') move(activeIndex - 6);
    else if (e.key === 'Escape') {
      e.preventDefault();
      props.onClose();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const c = shown[activeIndex];
      if (c && !c.error) onChoose(c.name);
    }
  };

  return (
    <div className="popover context-popover">
      <input
        type="search"
        className="filter-input context-search"
        aria-label="Search contexts"
        aria-controls={listId}
        aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
        placeholder={`Search ${contexts.length} contexts`}
        // biome-ignore lint/a11y/noAutofocus: the picker opens on a click meant to pick a context; typing filters at once
        autoFocus
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          virtualizer.scrollToOffset(0);
        }}
        onKeyDown={onKeyDown}
      />
      <div className="context-count" aria-live="polite">
        {shown.length === contexts.length
          ? `${contexts.length} contexts`
          : `${shown.length} of ${contexts.length} contexts`}
      </div>
      <div
        ref={scrollRef}
        id={listId}
        role="listbox"
        aria-label="Contexts"
        className="context-list"
        style={{ maxHeight: LIST_HEIGHT, overflowY: 'auto' }}
      >
        {shown.length === 0 && <div className="context-empty">No context matches “{query}”</div>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const c = shown[item.index];
            if (!c) return null;
            return (
              <ContextOption
                key={c.name}
                id={optionId(item.index)}
                context={c}
                selected={c.name === props.selected}
                active={item.index === activeIndex}
                isCurrent={c.name === props.current}
                queue={queue}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                }}
                onChoose={onChoose}
                onHover={() => setActive(item.index)}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
