// Which rows of a fixed-row-height list are in (or just around) the viewport. With every row the
// same height, a row's position is index × height, so the window is two divisions: O(1) per scroll
// and per render, whatever the row count. A general virtualizer that supports measured rows keeps
// a per-row offset table instead, rebuilt in O(rows) whenever the count or the key function
// changes — at 100,000 rows under churn (pods come and go every frame) that rebuild cost more than
// the frame itself, which is why the live table uses this.
import { type RefObject, useCallback, useLayoutEffect, useState } from 'react';

export interface RowWindow {
  /** First index in the DOM (inclusive). */
  start: number;
  /** One past the last index in the DOM. */
  end: number;
}

/**
 * The rows to render for a viewport: those intersecting [scrollTop, scrollTop + viewportHeight)
 * plus `overscan` on each side, clamped to [0, count). Empty when count is 0.
 */
export function rowWindow(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan: number,
): RowWindow {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.max(0, Math.min(count - 1, first - overscan));
  const end = Math.min(count, Math.max(start + 1, last + overscan));
  return { start, end };
}

/**
 * The scrollTop that brings row `index` into view with the least movement ("auto" alignment), or
 * null when it is already fully visible.
 */
export function scrollTopToReveal(
  index: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return null;
}

interface Viewport {
  scrollTop: number;
  height: number;
}

/**
 * Tracks the scroll container's scrollTop and height (scroll events and a ResizeObserver) and
 * returns the row window plus a scrollToIndex. Re-renders only when the window itself changes.
 */
export function useFixedRowWindow(
  scrollRef: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  overscan: number,
): RowWindow & { scrollToIndex(index: number): void } {
  const [viewport, setViewport] = useState<Viewport>({ scrollTop: 0, height: 0 });
  // The element behind the ref appears when the table gets its first row.
  const hasRows = count > 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: hasRows re-attaches to a new element
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const read = () =>
      setViewport((v) =>
        v.scrollTop === el.scrollTop && v.height === el.clientHeight
          ? v
          : { scrollTop: el.scrollTop, height: el.clientHeight },
      );
    read();
    el.addEventListener('scroll', read, { passive: true });
    const resize = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(read);
    resize?.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      resize?.disconnect();
    };
  }, [scrollRef, hasRows]);

  const scrollToIndex = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (!el) return;
      const to = scrollTopToReveal(index, rowHeight, el.scrollTop, el.clientHeight);
      if (to === null) return;
      el.scrollTop = to;
      // jsdom (and a detached element) fire no scroll event; read the new position directly.
      setViewport({ scrollTop: el.scrollTop, height: el.clientHeight });
    },
    [scrollRef, rowHeight],
  );

  const range = rowWindow(count, rowHeight, viewport.scrollTop, viewport.height, overscan);
  return { ...range, scrollToIndex };
}
