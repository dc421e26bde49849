// Which rows to highlight: added and modified rows flash briefly; deleted rows stay on screen as
// fading "ghosts" for the same time so the eye can see what left. Driven by the sources' change
// batches (one per frame), never by polling.
import { useEffect, useState } from 'react';
import type { LiveSource } from './live-source.ts';
import type { RowObject } from './server-table.ts';

export type Flash = 'added' | 'modified' | 'deleted';

export interface RowFlashes {
  flashes: ReadonlyMap<string, Flash>;
  /** Deleted rows still fading out, by key. */
  ghosts: ReadonlyMap<string, RowObject>;
}

/** How long a highlight or fade lasts; matches the CSS animation in styles/app.css. */
export const FLASH_MS = 1200;

const NONE: RowFlashes = { flashes: new Map(), ghosts: new Map() };

export function useRowFlashes(sources: readonly LiveSource[], enabled = true): RowFlashes {
  const [state, setState] = useState<RowFlashes>(NONE);
  useEffect(() => {
    if (!enabled) return;
    // Invariant: each key maps to the time its flash ends; expired keys are pruned on the next tick.
    const until = new Map<string, number>();
    const flashes = new Map<string, Flash>();
    const ghosts = new Map<string, RowObject>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const publish = () => setState({ flashes: new Map(flashes), ghosts: new Map(ghosts) });
    const prune = () => {
      timer = null;
      const now = Date.now();
      let next = Number.POSITIVE_INFINITY;
      for (const [key, end] of until) {
        if (end <= now) {
          until.delete(key);
          flashes.delete(key);
          ghosts.delete(key);
        } else next = Math.min(next, end);
      }
      publish();
      if (Number.isFinite(next)) timer = setTimeout(prune, next - now);
    };
    const offs = sources.map((s) => {
      // The first list is not news; a later relist's difference is, unless it is a flood. "Listed"
      // must mean the list's rows were already delivered: the published phase leaves 'listing'
      // in the very batch that carries them, whereas lastSyncRV can be published a frame earlier
      // (a status change flushes before the informer hands over the listed keys), and a
      // subscriber arriving in between took the whole first list for news.
      const snap = s.getSnapshot();
      let listed = snap.status.phase !== 'listing' && !snap.status.fromCache && snap.count > 0;
      return s.subscribe((batch) => {
        const first = batch.replaced && !listed;
        if (batch.replaced) listed = true;
        if (first || (batch.replaced && batch.added.length + batch.deleted.size > 50)) return;
        const end = Date.now() + FLASH_MS;
        const mark = (key: string, kind: Flash) => {
          flashes.set(key, kind);
          until.set(key, end);
        };
        for (const key of batch.added) {
          ghosts.delete(key);
          mark(key, 'added');
        }
        for (const key of batch.modified) mark(key, 'modified');
        for (const [key, row] of batch.deleted) {
          ghosts.set(key, row);
          mark(key, 'deleted');
        }
        publish();
        if (!timer) timer = setTimeout(prune, FLASH_MS);
      });
    });
    return () => {
      for (const off of offs) off();
      if (timer) clearTimeout(timer);
    };
  }, [sources, enabled]);
  return state;
}
