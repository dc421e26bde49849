// The IndexedDB figures, run in the page with Chromium's real IndexedDB through src/persist:
// writing a whole informer store as a relist, and a warm start in a fresh page (first screen,
// then the whole store into an indexer).
import type { KubeObject } from '../../src/kube/api/types.ts';
import { defaultIndexers } from '../../src/kube/cache/index-funcs.ts';
import { IndexerCache } from '../../src/kube/cache/indexer.ts';
import type { CacheKey } from '../../src/kube/cache/persistence.ts';
import { WorkerInformerPersistence } from '../../src/persist/worker/worker-informer-persistence.ts';
import type { PersistResult, WarmStartResult } from './page-api.ts';
import { PODS } from './pod-informer-run.ts';

/** The cache key both passes use: all pods of a context, no selectors. */
export function benchCacheKey(context: string): CacheKey {
  return {
    context,
    server: `bench://${context}`,
    user: 'bench',
    group: PODS.group,
    version: PODS.version,
    resource: PODS.resource,
    namespace: '',
    labelSelector: '',
    fieldSelector: '',
  };
}

/**
 * The app's persistence path: WorkerInformerPersistence with the bundled worker
 * (page-bundle.ts PERSISTENCE_WORKER_SCRIPT) on the bench's database. Warnings are collected, not
 * thrown (the worker's arrive in a message handler): a pass that drew one fails its figure.
 */
function openPersistence(databaseName: string): {
  persistence: WorkerInformerPersistence;
  assertNoWarnings(): void;
} {
  if (typeof databaseName !== 'string' || databaseName === '')
    throw new TypeError('databaseName is required');
  const warnings: string[] = [];
  const warn = (message: string, error?: unknown) =>
    warnings.push(`${message} ${error instanceof Error ? error.message : String(error ?? '')}`);
  const persistence = new WorkerInformerPersistence({
    createWorker: () =>
      new Worker(`/persistence-worker.js?database=${encodeURIComponent(databaseName)}`, { type: 'module' }),
    // The figure must describe the worker path: a fallback is a failed pass, not a slower figure.
    fallback: () => {
      throw new Error(`the persistence worker did not start: ${warnings.join('; ')}`);
    },
    warn,
    // As the app: warm-start reads with the page's own connection to the same database.
    directReads: { indexedDB: globalThis.indexedDB, databaseName },
  });
  return {
    persistence,
    assertNoWarnings() {
      if (warnings.length > 0) throw new Error(`persistence warned: ${warnings.join('; ')}`);
    },
  };
}

/** Observes main-thread long tasks (> 50 ms) while it is open. */
function watchLongTasks(): { stop(): { longest: number; count: number; observed: boolean } } {
  const supported =
    typeof PerformanceObserver !== 'undefined' &&
    PerformanceObserver.supportedEntryTypes.includes('longtask');
  let longest = 0;
  let count = 0;
  const observer = supported
    ? new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          count++;
          longest = Math.max(longest, entry.duration);
        }
      })
    : undefined;
  observer?.observe({ type: 'longtask' });
  return {
    stop() {
      if (observer) {
        for (const entry of observer.takeRecords()) {
          count++;
          longest = Math.max(longest, entry.duration);
        }
        observer.disconnect();
      }
      return { longest, count, observed: supported };
    },
  };
}

/**
 * Persist `items` as a relist (replace) of the store at resourceVersion, timed from write() until
 * the write-behind has committed everything (flush()).
 */
export async function persistPass(
  databaseName: string,
  context: string,
  items: readonly KubeObject[],
  resourceVersion: string,
): Promise<PersistResult> {
  const { persistence, assertNoWarnings } = openPersistence(databaseName);
  const key = benchCacheKey(context);
  // Start clean, and open the database before timing: the app opens it once at start-up.
  await persistence.drop(key);
  const tasks = watchLongTasks();
  const started = performance.now();
  const written = persistence.write(key, {
    resourceVersion,
    upserts: [...items],
    deletes: [],
    replace: true,
  });
  await written;
  await persistence.flush();
  const ms = performance.now() - started;
  // One more macrotask so the observer receives the last task's entry.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const longTasks = tasks.stop();
  await persistence.close();
  assertNoWarnings();
  return {
    ms,
    objects: items.length,
    longestTaskMs: longTasks.longest,
    longTasks: longTasks.count,
    longTaskObserved: longTasks.observed,
  };
}

/** Warm start in a fresh page: first screen (firstN objects in key order), then the whole store. */
export async function warmStartPass(
  databaseName: string,
  context: string,
  firstN: number,
): Promise<WarmStartResult> {
  const key = benchCacheKey(context);
  const started = performance.now();
  const { persistence, assertNoWarnings } = openPersistence(databaseName);
  try {
    const first = await persistence.loadFirst<KubeObject>(key, firstN);
    if (!first) throw new Error('warm start found no stored cache (did the persist pass run?)');
    const firstScreenMs = performance.now() - started;
    const readStarted = performance.now();
    const snapshot = await persistence.loadChunked<KubeObject>(key);
    if (!snapshot) throw new Error('the stored cache disappeared between two reads');
    const parseStarted = performance.now();
    const items: KubeObject[] = [];
    for (const chunk of snapshot.chunks()) for (const obj of chunk) items.push(obj);
    const indexStarted = performance.now();
    const indexer = new IndexerCache<KubeObject>(defaultIndexers(), { freeze: false });
    indexer.replace(items, snapshot.resourceVersion);
    const wholeStoreMs = performance.now() - started;
    assertNoWarnings();
    if (indexer.size !== snapshot.count) {
      throw new Error(`indexer holds ${indexer.size} objects, the stored cache says ${snapshot.count}`);
    }
    return {
      firstScreenMs,
      firstObjects: first.items.length,
      wholeStoreMs,
      phases: {
        readMs: parseStarted - readStarted,
        parseMs: indexStarted - parseStarted,
        indexMs: started + wholeStoreMs - indexStarted,
      },
      objects: indexer.size,
      resourceVersion: snapshot.resourceVersion,
    };
  } finally {
    await persistence.close();
  }
}
