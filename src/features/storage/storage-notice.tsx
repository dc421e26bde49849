// One line above the view when local persistence is degraded: no IndexedDB (private window) or
// storage full (memory-only). Each kind is said once per page, however many writes hit it, and
// can be dismissed; live data is never affected, and the line says so.
import { useState, useSyncExternalStore } from 'react';
import { type StorageNoticeSource, useKubeEnvironment } from '../../react/kube-environment.ts';

const NONE: readonly { kind: string; message: string }[] = [];
const noSource: StorageNoticeSource = { getSnapshot: () => NONE, subscribe: () => () => {} };

export function StorageNotice() {
  const source = useKubeEnvironment().storageNotices ?? noSource;
  const notices = useSyncExternalStore(source.subscribe, source.getSnapshot);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const shown = notices.filter((n) => !dismissed.has(n.kind));
  if (shown.length === 0) return null;
  return (
    <div className="storage-notice" role="status" aria-label="local storage">
      {shown.map((n) => (
        <p key={n.kind}>
          {n.message}{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => setDismissed((d) => new Set([...d, n.kind]))}
          >
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}
