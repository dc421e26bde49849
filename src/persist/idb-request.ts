// Promise views of IndexedDB requests and transactions.
//
// Awaiting these inside a transaction is safe only while nothing but IndexedDB requests is awaited:
// the continuation runs as a microtask of the request's success event, while the transaction is
// still active. Awaiting anything else (a timer, a fetch) lets the transaction auto-commit, and the
// next request on it throws TransactionInactiveError.

export function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(request.error ?? new DOMException('IndexedDB request failed', 'UnknownError'));
  });
}

/**
 * Resolves when the transaction commits; rejects with its error when it aborts. An explicit abort()
 * has no error, so it rejects with an AbortError.
 */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('IndexedDB transaction aborted', 'AbortError'));
    // A failed request's error event bubbles up and aborts the transaction (nothing here calls
    // preventDefault on it), so onabort reports every failure.
  });
}

/** Abort a transaction that may already have finished or aborted, without throwing. */
export function abortQuietly(tx: IDBTransaction): void {
  try {
    tx.abort();
  } catch {
    // InvalidStateError: already committed or aborted; nothing to undo.
  }
}

/** Browsers name a full quota differently; all of these mean "the origin is out of space". */
export function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}
