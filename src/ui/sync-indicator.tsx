// A view's sync state in one line: "synced at RV N", "listing…", "stale (from cache)",
// "reconnecting in Ns" with the last error on hover and a retry button, "forbidden".
import { useEffect, useState } from 'react';

export interface SyncIndicatorProps {
  phase: 'listing' | 'synced' | 'reconnecting' | 'forbidden' | 'unauthorized' | 'stopped';
  resourceVersion: string;
  fromCache: boolean;
  lastError: string | null;
  retryAt: number | null;
  onRetry?: () => void;
  /** For tests and the clock-less; defaults to Date.now. */
  now?: () => number;
}

export function SyncIndicator(props: SyncIndicatorProps) {
  const now = props.now ?? Date.now;
  const [, tick] = useState(0);
  useEffect(() => {
    if (props.phase !== 'reconnecting' || props.retryAt === null) return;
    const id = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, [props.phase, props.retryAt]);

  let text: string;
  let tone: 'ok' | 'busy' | 'warn' | 'bad';
  if (props.phase === 'synced') {
    text = `synced at RV ${props.resourceVersion || '?'}`;
    tone = 'ok';
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
