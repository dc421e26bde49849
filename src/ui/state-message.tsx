// The one way a view says "nothing to show yet / nothing here / you may not / it failed". Errors
// and denials are alerts (announced); loading and empty are polite status messages.
import type { ReactNode } from 'react';

export type StateKind = 'loading' | 'empty' | 'forbidden' | 'error' | 'expired';

export interface StateMessageProps {
  kind: StateKind;
  title: string;
  detail?: ReactNode;
  onRetry?: () => void;
}

export function StateMessage({ kind, title, detail, onRetry }: StateMessageProps) {
  const alert = kind === 'error' || kind === 'forbidden' || kind === 'expired';
  return (
    <div
      className={`state-message state-${kind}`}
      role={alert ? 'alert' : 'status'}
      aria-busy={kind === 'loading'}
    >
      {kind === 'loading' && <span className="spinner" aria-hidden="true" />}
      <div className="state-title">{title}</div>
      {detail !== undefined && <div className="state-detail">{detail}</div>}
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
