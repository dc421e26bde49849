// Environment fault 2: IndexedDB unavailable (private mode: no indexedDB at all, or open() refused),
// over quota (every put throws QuotaExceededError: evict least recently used, then memory-only),
// and a cache left by an older schema (discarded on upgrade). In every case the app keeps working
// live, says what happened once (not per write), never crashes, and its views equal the server.
import { type Browser, expect, type Page, test } from '@playwright/test';
import { readE2eState } from '../harness/e2e-state.ts';
import { openExplorer } from '../harness/explorer-page.ts';
import { kubectl, uniqueName } from '../harness/kubectl.ts';
import { readSimAccess } from './harness/env-kubeconfig.ts';
import { saidBy } from './harness/env-proxy.ts';
import { simServerLister } from './harness/env-server-list.ts';
import { injectStorageFault, quotaPuts, type StorageFault } from './harness/env-storage-faults.ts';
import { FaultLedger } from './harness/fault-ledger.ts';
import { expectViewsEqualServer, readOpenViews } from './harness/view-rows.ts';

/** The app's informer cache database (src/persist/informer-cache-schema.ts; not imported: browser only). */
const CACHE_DB = 'kubeglass-informer-cache';
/** All namespaces: every pod of the cluster is compared with the server. */
const VIEW = 'ctx=sim-cert&r=v1/pods&ns=*';
const ledger = new FaultLedger('env-indexeddb');
const serverList = simServerLister(readSimAccess(readE2eState().kubeconfig));

/** Uncaught page errors and the console lines that mention storage, from now on. */
function watchPage(page: Page): { errors: string[]; storageWarnings: string[] } {
  const seen = { errors: [] as string[], storageWarnings: [] as string[] };
  page.on('pageerror', (err) => seen.errors.push(err.message));
  page.on('console', (msg) => {
    if (/IndexedDB|storage|quota/i.test(msg.text())) seen.storageWarnings.push(msg.text());
  });
  return seen;
}

/** Runs in the page: how many informer caches the database holds (0 when it has none or no store). */
function storedCaches(dbName: string): Promise<number> {
  return new Promise((resolve) => {
    const open = indexedDB.open(dbName);
    open.onerror = () => resolve(0);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('stores')) {
        db.close();
        resolve(0);
        return;
      }
      const count = db.transaction('stores', 'readonly').objectStore('stores').count();
      count.onsuccess = () => {
        db.close();
        resolve(count.result);
      };
      count.onerror = () => {
        db.close();
        resolve(0);
      };
    };
  });
}

/**
 * Wait for the view to sync, then prove it live: a pod created now reaches the open view (read
 * through the page's inspect hook, so the table's windowing does not matter).
 */
async function expectLive(page: Page): Promise<void> {
  await expect(page.getByRole('status', { name: 'sync status' })).toContainText(/synced at RV \d+/, {
    timeout: 15_000,
  });
  const name = uniqueName('e2e-idb');
  await kubectl(['run', name, '--image=registry.k8s.io/pause:3.10', '-n', 'default']);
  await expect
    .poll(async () => (await readOpenViews(page)).some((v) => v.rows.some((r) => r.name === name)), {
      timeout: 10_000,
    })
    .toBe(true);
  await kubectl(['delete', 'pod', name, '-n', 'default', '--wait=false']);
}

async function pageWith(browser: Browser, fault?: StorageFault): Promise<Page> {
  const context = await browser.newContext();
  if (fault) await injectStorageFault(context, fault);
  return context.newPage();
}

const storageNotice = (page: Page) => page.getByRole('status', { name: 'local storage' });

test('IndexedDB unavailable (no indexedDB, open() refused): live views, said once', async ({ browser }) => {
  const variants = [
    { name: 'IndexedDB missing (private mode)', fault: 'no-indexeddb' },
    { name: 'IndexedDB open() refused', fault: 'open-refused' },
  ] as const;
  for (const variant of variants) {
    const started = Date.now();
    const page = await pageWith(browser, variant.fault);
    const seen = watchPage(page);
    await openExplorer(page, VIEW);
    await expectLive(page);
    const notice = storageNotice(page);
    await expect(notice).toContainText('no local storage');
    await expect(notice.locator('p')).toHaveCount(1);
    const uiSaid = [await saidBy(notice)];
    // A reload starts from the cluster again (nothing was saved), and says it again, once.
    await page.reload();
    await expectLive(page);
    await expect(storageNotice(page).locator('p')).toHaveCount(1);
    const comparison = await expectViewsEqualServer(page, serverList, { timeoutMs: 20_000 });
    expect(comparison.objectsCompared).toBeGreaterThan(50);
    expect(seen.errors).toEqual([]);
    ledger.record({
      name: variant.name,
      injected: 1,
      recovered: 1,
      objectsCompared: comparison.objectsCompared,
      mismatches: comparison.mismatches,
      uiSaid,
      durationMs: Date.now() - started,
    });
    await page.context().close();
  }
});

test('IndexedDB over quota: LRU eviction, then memory-only, said once, views stay live', async ({
  browser,
}) => {
  const started = Date.now();
  const page = await pageWith(browser);
  // Fill the cache normally first: several views, so there is something to evict.
  await openExplorer(page, 'ctx=sim-cert&r=v1/services&ns=*');
  await expect(page.getByRole('status', { name: 'sync status' })).toContainText(/synced at RV \d+/);
  await page.goto(`${readE2eState().origin}/?${VIEW}`);
  await expectLive(page);
  await expect
    .poll(() => page.evaluate(storedCaches, CACHE_DB), { timeout: 10_000 })
    .toBeGreaterThanOrEqual(2);
  const cachesBefore = await page.evaluate(storedCaches, CACHE_DB);

  // From the next load on, the disk is full: every put (and add) throws QuotaExceededError, in
  // the page and in the persistence worker.
  await injectStorageFault(page.context(), 'quota');
  const seen = watchPage(page);
  await page.reload();
  await expectLive(page);
  const notice = storageNotice(page);
  await expect(notice).toContainText('Browser storage is full');
  await expect(notice.locator('p')).toHaveCount(1);
  // Eviction ran (least recently used first) before giving up: fewer caches are left than before.
  await expect.poll(() => page.evaluate(storedCaches, CACHE_DB)).toBeLessThan(cachesBefore);
  // Memory-only: churn keeps the views changing, yet nothing tries to write any more.
  const putsAfterFull = await quotaPuts(page);
  expect(putsAfterFull).toBeGreaterThan(0);
  await page.waitForTimeout(2500);
  expect(await quotaPuts(page)).toBe(putsAfterFull);
  expect(seen.storageWarnings.filter((t) => t.includes('storage is full'))).toHaveLength(1);
  const comparison = await expectViewsEqualServer(page, serverList, { timeoutMs: 20_000 });
  expect(comparison.objectsCompared).toBeGreaterThan(50);
  expect(seen.errors).toEqual([]);
  ledger.record({
    name: 'IndexedDB over quota',
    injected: 1,
    recovered: 1,
    objectsCompared: comparison.objectsCompared,
    mismatches: comparison.mismatches,
    uiSaid: [await saidBy(notice)],
    durationMs: Date.now() - started,
  });
  await page.context().close();
});

test('a cache written by an older schema is discarded, and views sync from the server', async ({
  browser,
}) => {
  const started = Date.now();
  const page = await pageWith(browser);
  const seen = watchPage(page);
  // Same origin as the app, without booting it: write a version-1 database of another layout,
  // holding a pod the server has never had.
  await page.goto(`${readE2eState().origin}/-/healthz`);
  const ghost = uniqueName('ghost-v1');
  await page.evaluate(
    ({ dbName, ghost }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(dbName, 1);
        open.onupgradeneeded = () => {
          const snapshots = open.result.createObjectStore('snapshots', { keyPath: 'key' });
          snapshots.put({
            key: 'sim-cert|v1/pods|default',
            resourceVersion: '1',
            items: [{ metadata: { namespace: 'default', name: ghost, resourceVersion: '1' } }],
          });
        };
        open.onsuccess = () => {
          open.result.close();
          resolve();
        };
        open.onerror = () => reject(open.error);
      }),
    { dbName: CACHE_DB, ghost },
  );
  await openExplorer(page, VIEW);
  await expectLive(page);
  const comparison = await expectViewsEqualServer(page, serverList, { timeoutMs: 20_000 });
  expect(comparison.objectsCompared).toBeGreaterThan(50);
  const views = await readOpenViews(page);
  expect(views.some((v) => v.rows.some((r) => r.name === ghost))).toBe(false);
  // Upgraded in place to the current layout, the old store gone.
  const layout = await page.evaluate(
    (dbName) =>
      new Promise<{ version: number; stores: string[] }>((resolve) => {
        const open = indexedDB.open(dbName);
        open.onsuccess = () => {
          const db = open.result;
          const info = { version: db.version, stores: Array.from(db.objectStoreNames).sort() };
          db.close();
          resolve(info);
        };
      }),
    CACHE_DB,
  );
  expect(layout.version).toBeGreaterThan(1);
  expect(layout.stores).not.toContain('snapshots');
  expect(seen.errors).toEqual([]);
  await expect(page.getByRole('alert')).toHaveCount(0);
  ledger.record({
    name: 'IndexedDB older schema',
    injected: 1,
    recovered: 1,
    objectsCompared: comparison.objectsCompared,
    mismatches: comparison.mismatches,
    uiSaid: [`database upgraded to v${layout.version}; stores ${layout.stores.join(', ')}`],
    durationMs: Date.now() - started,
  });
  await page.context().close();
});
