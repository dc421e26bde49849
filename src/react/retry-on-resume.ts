// BR-06: a laptop that slept or a tab that was hidden may hold watches that died silently, and a
// reflector in backoff may wait up to 30 s. When the page becomes visible again or the network comes
// back, every informer retries at once instead (the factory's retryNow()).

/** The two event sources involved; `document` and `window` in the browser, fakes in tests. */
export interface ResumeSignals {
  document: Pick<Document, 'visibilityState' | 'addEventListener' | 'removeEventListener'>;
  window: Pick<Window, 'addEventListener' | 'removeEventListener'>;
}

/** Call retry on `visibilitychange` to visible and on `online`. Returns the uninstaller. */
export function retryOnResume(signals: ResumeSignals, retry: () => void): () => void {
  const onVisibility = () => {
    if (signals.document.visibilityState === 'visible') retry();
  };
  const onOnline = () => retry();
  signals.document.addEventListener('visibilitychange', onVisibility);
  signals.window.addEventListener('online', onOnline);
  return () => {
    signals.document.removeEventListener('visibilitychange', onVisibility);
    signals.window.removeEventListener('online', onOnline);
  };
}
