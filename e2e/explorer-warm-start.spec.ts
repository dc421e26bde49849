// Reload restores the view from IndexedDB before the network answers: with the pods list/watch
// requests and the watch multiplexer held back, the reloaded page still shows the rows, marked
// stale from cache; released, the view syncs with the cluster again.
import { expect, type Route, test, type WebSocketRoute } from '@playwright/test';
import { WATCH_MUX_PATH } from '../proxy/contract/watch-mux.ts';
import { keepScreenshot, openExplorer, rowWithCell } from './harness/explorer-page.ts';
import { kubectl, uniqueName } from './harness/kubectl.ts';

/** /clusters/{ctx}/api/v1/pods or …/namespaces/{ns}/pods (list and watch alike). */
const PODS_PATH = /^\/clusters\/[^/]+\/api\/v1\/(namespaces\/[^/]+\/)?pods(\/|$)/;

/** The app's informer cache database (src/persist/informer-cache-schema.ts; not imported: browser only). */
const CACHE_DB = 'kubeglass-informer-cache';

/**
 * Runs in the page (serialized, so it uses only its argument): whether any record of the informer
 * cache mentions `text`. Opens the database
 * without a version, so it never upgrades or blocks the app's own connection.
 */
function cachedMentions({ db: dbName, text }: { db: string; text: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const open = indexedDB.open(dbName);
    open.onerror = () => resolve(false);
    open.onsuccess = () => {
      const db = open.result;
      const names = Array.from(db.objectStoreNames);
      if (names.length === 0) {
        db.close();
        resolve(false);
        return;
      }
      const tx = db.transaction(names, 'readonly');
      const found: boolean[] = [];
      for (const store of names) {
        const all = tx.objectStore(store).getAll();
        all.onsuccess = () => found.push(JSON.stringify(all.result).includes(text));
      }
      tx.oncomplete = () => {
        db.close();
        resolve(found.some(Boolean));
      };
      tx.onerror = () => {
        db.close();
        resolve(false);
      };
    };
  });
}

test('reload paints pods from IndexedDB while the network is held, then syncs', async ({
  page,
}, testInfo) => {
  const name = uniqueName('e2e-cached');
  await kubectl(['run', name, '--image=registry.k8s.io/pause:3.10', '-n', 'default']);
  await openExplorer(page, 'ctx=sim-cert&r=v1/pods&ns=default');
  const status = page.getByRole('status', { name: 'sync status' });
  await expect(rowWithCell(page, 'pods', name)).toBeVisible();
  await expect(status).toContainText(/synced at RV \d+/);
  // Persistence is asynchronous (batched writes): wait, bounded, until the pod is in the cache.
  await expect
    .poll(() => page.evaluate(cachedMentions, { db: CACHE_DB, text: name }), { timeout: 10_000 })
    .toBe(true);

  let blocked = true;
  const heldRequests: Route[] = [];
  const heldSockets: WebSocketRoute[] = [];
  await page.route(
    (url) => PODS_PATH.test(url.pathname),
    async (route) => {
      if (blocked) heldRequests.push(route);
      else await route.continue();
    },
  );
  await page.routeWebSocket(
    (url) => url.pathname === WATCH_MUX_PATH,
    (ws) => {
      if (blocked) heldSockets.push(ws);
      else ws.connectToServer();
    },
  );

  await page.reload();
  await expect(page.getByRole('grid', { name: 'pods', exact: true })).toBeVisible();
  await expect(rowWithCell(page, 'pods', name)).toBeVisible();
  await expect(status).toContainText(/stale|from cache/);
  // The rows came while the app's pods traffic was being held: nothing has answered it yet.
  expect(heldRequests.length + heldSockets.length).toBeGreaterThan(0);
  await keepScreenshot(page, testInfo, 'warm-start-from-cache');

  blocked = false;
  for (const route of heldRequests.splice(0)) await route.continue();
  // A held socket never reached the proxy; closing it makes the app reconnect, now for real.
  for (const ws of heldSockets.splice(0)) await ws.close({ code: 1012, reason: 'e2e: released' });
  await expect(status).toContainText(/synced at RV \d+/, { timeout: 15_000 });
  await expect(rowWithCell(page, 'pods', name)).toBeVisible();

  // And it is live again: a pod deleted now disappears.
  await kubectl(['delete', 'pod', name, '-n', 'default', '--wait=false']);
  await expect(rowWithCell(page, 'pods', name)).toHaveCount(0, { timeout: 5000 });
});
