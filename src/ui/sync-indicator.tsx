// A view's sync state in one line: "synced at RV N", "listing…", "stale (from cache)",
// "reconnecting in Ns" with the last error on hover and a retry button, "forbidden".
//
// While synced it also watches for a stall: we ask for bookmarks, and an apiserver sends one about
// every minute even when nothing changes, so a watch that delivered nothing for QUIET_MS may be
// stalled (a dead hop that never closed). The indicator says so until data flows again or BR-07's
// idle timeout restarts the watch; nothing else changes (a quiet resource is not an error).
import { useEffect, useState } from 'react';

/** Silence after which a synced watch is reported as possibly stalled: 1.5 bookmark intervals. */
export const QUIET_MS = 90_000;

export interface SyncIndicatorProps {
  phase: 'listing' | 'synced' | 'reconnecting' | 'forbidden' | 'unauthorized' | 'stopped';
  resourceVersion: string;
  fromCache: boolean;
  lastError: string | null;
  retryAt: number | null;
  onRetry?: () => void;
  /** When the watch last delivered anything (ms since epoch), the oldest of the view's watches. */
  lastWatchActivity?: () => number | undefined;
  /** For tests and the clock-less; defaults to Date.now. */
  now?: () => number;
}

export function SyncIndicator(props: SyncIndicatorProps) {
  const now = props.now ?? Date.now;
  const [, tick] = useState(0);
  const watchesQuiet = props.phase === 'synced' && props.lastWatchActivity !== undefined;
  useEffect(() => {
    const counting = props.phase === 'reconnecting' && props.retryAt !== null;
    if (!counting && !watchesQuiet) return;
    const id = setInterval(() => tick((n) => n + 1), counting ? 1000 : 5000);
    return () => clearInterval(id);
  }, [props.phase, props.retryAt, watchesQuiet]);

  let text: string;
  let tone: 'ok' | 'busy' | 'warn' | 'bad';
  if (props.phase === 'synced') {
    text = `synced at RV ${props.resourceVersion || '?'}`;
    tone = 'ok';
    const last = props.lastWatchActivity?.();
    if (last !== undefined && now() - last >= QUIET_MS) {
      text += ` · no data for ${Math.floor((now() - last) / 1000)}s, the watch may be stalled`;
      tone = 'warn';
    }
  } else if (props.phase === 'listing') {
    text = props.fromCache ? 'stale from cache, listing…' : 'listing…';
    tone = props.fromCache ? 'warn' : 'busy';
  } else if (props.phase === 'reconnecting') {
    const seconds = props.retryAt === null ? 0 : Math.max(0, Math.ceil((props.retryAt - now()) / 1000));
    text = `reconnecting in ${seconds}s`;
    tone = 'warn';
  } else if (props.phase === 'forbidden') {
    text = 'forbidden';
    tone = 'bad';
  } else if (props.phase === 'unauthorized') {
    text = 'credentials expired';
    tone = 'bad';
  } else {
    text = 'stopped';
    tone = 'busy';
  }
  return (
    <span
      className={`sync-indicator tone-${tone}`}
      role="status"
      aria-label="sync status"
      title={props.lastError ?? undefined}
    >
      <span className="dot" aria-hidden="true" />
      {text}
      {props.lastError && props.phase !== 'synced' && <span className="sync-error">: {props.lastError}</span>}
      {props.onRetry && props.phase !== 'synced' && props.phase !== 'listing' && (
        <button type="button" className="link-button" onClick={props.onRetry}>
          retry now
        </button>
      )}
    </span>
  );
}
