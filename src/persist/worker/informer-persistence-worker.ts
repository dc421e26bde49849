// Entry of the persistence worker (BR-08, issue 5): the informer caches' IndexedDB work, chunk
// rewrites and the structured clones they cost, runs here instead of on the page's main thread.
// Started by WorkerInformerPersistence as a module worker
// (`new Worker(new URL('./informer-persistence-worker.ts', import.meta.url), { type: 'module' })`),
// which Vite bundles as a same-origin script (the CSP's script-src 'self' covers workers).
//
// IndexedDB is the worker's own (same origin, same databases as the page). When the worker has
// none, the hosted persistence turns no-op after one warning, forwarded to the page, and tells the
// page's PersistenceNotices, exactly as it would in the page.
import { IndexedDbInformerPersistence } from '../indexeddb-informer-persistence.ts';
import { PersistenceNotices } from '../persistence-notices.ts';
import { forwardWarnings, type HostEndpoint, servePersistence } from './persistence-host.ts';

// The DOM lib types `globalThis` as a Window; in a dedicated worker it is a
// DedicatedWorkerGlobalScope, of which only these members are used.
interface WorkerScope extends HostEndpoint {
  indexedDB: IDBFactory | undefined;
  location: { href: string };
  close(): void;
}

const scope = globalThis as unknown as WorkerScope;
// `?database=NAME` on the script URL picks another database (the client bench's own); the app
// passes none and gets INFORMER_CACHE_DB_NAME.
const databaseName = new URL(scope.location.href).searchParams.get('database') ?? undefined;
const notices = new PersistenceNotices();
const persistence = new IndexedDbInformerPersistence({
  indexedDB: scope.indexedDB,
  ...(databaseName ? { databaseName } : {}),
  notices,
  warn: forwardWarnings(scope),
});
servePersistence(scope, persistence, { notices, onClosed: () => scope.close() });
