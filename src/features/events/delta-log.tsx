// The watch-delta log: every ADDED/MODIFIED/DELETED/BOOKMARK (and ERROR) event the current view's
// watches receive, newest first, with the event rate. Events are collected as they arrive and
// rendered at most ten times a second (LOG_MIN_INTERVAL_MS), on an animation frame.
import { useEffect, useMemo, useState } from 'react';
import { FrameBatcher } from '../../react/frame-batcher.ts';
import { pacedFrameScheduler } from '../../react/paced-frames.ts';
import { useLiveSources } from '../../react/use-live-sources.ts';
import { useViewKeys } from '../../react/use-view-keys.ts';
import { useRoute } from '../../stores/route-context.ts';
import type { NamespaceChoice } from '../../stores/route-url.ts';
import { DeltaRing, type NumberedDelta } from './delta-ring.ts';

/** Events kept (and shown while paused, to read back). */
const SHOWN = 200;
/**
 * Events in the DOM while live: a little more than the panel's height shows. At a thousand events
 * a second even these are replaced several times a second, so only the top of the list can be read
 * anyway (pausing shows all SHOWN, to read back). While live, entries are keyed by position: a
 * frame then rewrites the text of at most LIVE_SHOWN existing entries instead of inserting and
 * removing a list item per event, which was most of the page's style and layout work under load
 * (issue 5).
 */
const LIVE_SHOWN = 20;
const EVENTS = { group: '', version: 'v1', resource: 'events' };
/**
 * The log is drawn at most 10 times a second (an event after a quiet spell still shows on the next
 * frame): text that changes faster cannot be read, and each redraw is layout work taken from the
 * tables (paced-frames.ts).
 */
const LOG_MIN_INTERVAL_MS = 100;
const logFrames = pacedFrameScheduler({ minIntervalMs: LOG_MIN_INTERVAL_MS });

function namespacesOf(choice: NamespaceChoice): string[] | null {
  return choice.kind === 'default' ? null : choice.kind === 'all' ? [] : choice.names;
}

export function DeltaLog() {
  const route = useRoute();
  const events = route.view === 'events';
  // The same keys as the view on screen, so the log taps the very informers the view shows.
  const { keys } = useViewKeys({
    context: route.context,
    gvr: events ? EVENTS : route.gvr,
    namespaces: namespacesOf(route.namespaces),
    labelSelector: events ? '' : route.labelSelector,
    fieldSelector: events ? '' : route.fieldSelector,
  });
  const sources = useLiveSources(keys);
  const ring = useMemo(() => new DeltaRing(SHOWN), []);
  const [view, setView] = useState<{ records: NumberedDelta[]; rate: number; total: number }>({
    records: [],
    rate: 0,
    total: 0,
  });
  const [paused, setPaused] = useState(false);

  // A new view starts a new log; pausing and resuming keeps what was logged.
  // biome-ignore lint/correctness/useExhaustiveDependencies: sources is the trigger (a new view)
  useEffect(() => {
    ring.clear();
  }, [sources, ring]);

  useEffect(() => {
    const publish = () => setView({ records: ring.latest(), rate: ring.rate(Date.now()), total: ring.total });
    publish();
    if (paused) return;
    const batcher = new FrameBatcher(publish, logFrames);
    const offs = sources.map((s) =>
      s.tap((r) => {
        ring.push(r);
        batcher.notify();
      }),
    );
    // The rate decays even when nothing arrives.
    const timer = setInterval(publish, 1000);
    return () => {
      for (const off of offs) off();
      batcher.cancel();
      clearInterval(timer);
    };
  }, [sources, ring, paused]);

  return (
    <section className="delta-log" aria-label="Watch events">
      <header className="panel-head">
        <h2>Watch events</h2>
        <output className="muted" aria-label="event rate" aria-live="off">
          {view.rate.toFixed(1)}/s · {view.total} total
        </output>
        <button
          type="button"
          className="link-button"
          onClick={() => setPaused((p) => !p)}
          aria-pressed={paused}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
      </header>
      <ol
        role="log"
        aria-label="Watch event log"
        aria-live="off"
        className={paused ? 'delta-list delta-list-paused' : 'delta-list'}
      >
        {view.records.length === 0 && (
          <li className="muted">
            {route.gvr ? 'Waiting for watch events…' : 'Open a resource to see its watch events.'}
          </li>
        )}
        {(paused ? view.records : view.records.slice(0, LIVE_SHOWN)).map((r, i) => (
          <li key={paused ? r.seq : i} className={`delta delta-${r.type.toLowerCase()}`}>
            <time className="mono">{new Date(r.at).toISOString().slice(11, 23)}</time>
            <span className="delta-type">{r.type}</span>
            <span className="mono delta-key">{r.key || '—'}</span>
            <span className="mono muted">rv {r.resourceVersion}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
