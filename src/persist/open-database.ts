// Opening a versioned IndexedDB database, shared by the informer cache and the discovery cache.
//
// IndexedDB can be missing or refuse to open in ordinary situations: Firefox private windows
// (InvalidStateError), disabled storage (SecurityError thrown by open()), a database left by a
// newer build of the app (VersionError), or a corrupted profile. Callers treat every one of these as
// "no persistence" and keep working; this module only turns them into one rejected Promise.

export interface OpenDatabaseOptions {
  factory: IDBFactory;
  name: string;
  version: number;
  /**
   * Create or migrate the schema. Called inside the versionchange transaction with the version the
   * database had before (0 for a new database). Must only issue schema calls (synchronous).
   */
  upgrade(db: IDBDatabase, oldVersion: number): void;
  /**
   * Another tab wants to upgrade the database, or the browser closed the connection (storage
   * cleared). The connection is already closed when this runs; stop using it.
   */
  onLost(reason: string): void;
}

export function openDatabase(options: OpenDatabaseOptions): Promise<IDBDatabase> {
  return new Promise<IDBDatabase>((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = options.factory.open(options.name, options.version);
    } catch (err) {
      // SecurityError and friends are thrown synchronously by some browsers.
      reject(err);
      return;
    }
    request.onupgradeneeded = (event) => {
      try {
        options.upgrade(request.result, event.oldVersion);
      } catch (err) {
        // Aborting the versionchange transaction makes the open request fail with AbortError.
        request.transaction?.abort();
        reject(err);
      }
    };
    request.onerror = () =>
      reject(request.error ?? new DOMException('indexedDB.open failed', 'UnknownError'));
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => {
        // Closing lets the other tab's upgrade proceed instead of blocking it forever.
        db.close();
        options.onLost('another tab opened a newer version of the database');
      };
      db.onclose = () => options.onLost('the browser closed the database connection');
      resolve(db);
    };
  });
}

/** The name of an error for warnings: DOMExceptions and Errors have one; anything else is described. */
export function describeError(err: unknown): string {
  if (err instanceof Error || (typeof DOMException !== 'undefined' && err instanceof DOMException)) {
    return `${err.name}: ${err.message}`;
  }
  return String(err);
}
