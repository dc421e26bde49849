// Keeps an OrderedRowIndex in step with a view's live sources: each frame batch is applied
// incrementally (binary insertion/removal), deleted rows stay in place as ghosts while they fade,
// and only a new sort column re-sorts. The index is mutated only while rendering (draining the
// batches the sources delivered since the last render), so StrictMode's double render and
// concurrent renders see the same result: draining and ghost reconciliation are idempotent.
import { useEffect, useReducer, useRef } from 'react';
import type { ChangeBatch, LiveSource } from '../../react/live-source.ts';
import type { RowObject } from '../../react/server-table.ts';
import { OrderedRowIndex } from './ordered-row-index.ts';
import type { OrderOptions } from './row-order.ts';

interface State {
  sources: readonly LiveSource[];
  index: OrderedRowIndex;
  /** Batches delivered since the last render, in order. */
  queue: { source: LiveSource; batch: ChangeBatch }[];
  /** The snapshot versions the index reflects; a mismatch after subscribing means a missed batch. */
  versions: string;
  needsReset: boolean;
  ghosts: ReadonlyMap<string, RowObject> | null;
}

const versionsOf = (sources: readonly LiveSource[]) => sources.map((s) => s.getSnapshot().version).join(',');

export function useOrderedRows(
  sources: readonly LiveSource[],
  ghosts: ReadonlyMap<string, RowObject>,
  opts: OrderOptions,
): OrderedRowIndex {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const ref = useRef<State | null>(null);
  let state = ref.current;
  if (!state || state.sources !== sources) {
    state = {
      sources,
      index: new OrderedRowIndex(opts),
      queue: [],
      versions: '',
      needsReset: true,
      ghosts: null,
    };
    ref.current = state;
  }
  const { index } = state;
  index.configure(opts);
  if (state.needsReset) {
    state.needsReset = false;
    state.queue = [];
    state.ghosts = null;
    index.reset(
      sources.flatMap((s) => s.getSnapshot().rows),
      ghosts,
    );
  } else {
    const queue = state.queue;
    state.queue = [];
    for (const { source, batch } of queue) {
      const keys = [...batch.added, ...batch.modified, ...batch.deleted.keys()];
      index.apply(keys, (k) => source.get(k), keys.length);
    }
  }
  state.versions = versionsOf(sources);
  if (state.ghosts !== ghosts) {
    // Ghosts come and go with the flashes (use-row-flashes.ts); O(ghosts) per change.
    for (const key of index.ghostKeys()) if (!ghosts.has(key)) index.remove(key);
    for (const [key, row] of ghosts) {
      if (sources.some((s) => s.get(key) !== undefined)) continue; // back alive
      index.upsert(key, row, true);
    }
    state.ghosts = ghosts;
  }

  useEffect(() => {
    const current = ref.current;
    if (!current || current.sources !== sources) return;
    const offs = sources.map((source) =>
      source.subscribe((batch) => {
        current.queue.push({ source, batch });
        rerender();
      }),
    );
    // A batch may have been published between the render and this subscription.
    if (versionsOf(sources) !== current.versions) {
      current.needsReset = true;
      rerender();
    }
    return () => {
      for (const off of offs) off();
    };
  }, [sources]);
  return index;
}
