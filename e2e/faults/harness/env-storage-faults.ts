// Storage faults for a browser context, applied to the page AND to the persistence worker: the
// informer caches are written from a module worker (src/persist/worker), which init scripts do not
// reach, so the worker's script is served with the same patch prepended (routed, never rebuilt).
// A real private window or full disk affects both scopes alike; so does this.
//
// Quota: every IDBObjectStore put/add throws QuotaExceededError and announces itself on a
// BroadcastChannel, and the page counts the announcements (window.__kubeglassE2eQuotaPuts), so a
// spec can prove that nothing keeps trying to write once the app went memory-only.
import type { BrowserContext, Page } from '@playwright/test';

export type StorageFault = 'no-indexeddb' | 'open-refused' | 'quota';

const QUOTA_CHANNEL = 'kubeglass-e2e-quota';
/** The persistence worker's bundled script (Vite names it after its entry file). */
const WORKER_SCRIPT = /\/assets\/informer-persistence-worker[^/]*\.js$/;

/** Code that breaks IndexedDB in the scope it runs in (window or worker). */
function patchFor(fault: StorageFault): string {
  switch (fault) {
    case 'no-indexeddb':
      return "Object.defineProperty(globalThis, 'indexedDB', { value: undefined, configurable: true });";
    case 'open-refused':
      return "IDBFactory.prototype.open = function () { throw new DOMException('The operation is insecure.', 'SecurityError'); };";
    case 'quota':
      return `(() => {
  const channel = new BroadcastChannel(${JSON.stringify(QUOTA_CHANNEL)});
  for (const method of ['put', 'add']) {
    IDBObjectStore.prototype[method] = function () {
      channel.postMessage(method);
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  }
})();`;
  }
}

/** From the next page load on, `fault` holds in every page and persistence worker of `context`. */
export async function injectStorageFault(context: BrowserContext, fault: StorageFault): Promise<void> {
  const patch = patchFor(fault);
  const counter =
    fault === 'quota'
      ? `(() => {
  window.__kubeglassE2eQuotaPuts = 0;
  new BroadcastChannel(${JSON.stringify(QUOTA_CHANNEL)}).onmessage = () => { window.__kubeglassE2eQuotaPuts++; };
})();`
      : '';
  await context.addInitScript({ content: `${counter}\n${patch}` });
  await context.route(WORKER_SCRIPT, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: `${patch}\n${await response.text()}` });
  });
}

/** Puts and adds refused so far, page and worker together (quota fault only). */
export function quotaPuts(page: Page): Promise<number> {
  return page.evaluate(
    () => (window as unknown as { __kubeglassE2eQuotaPuts?: number }).__kubeglassE2eQuotaPuts ?? 0,
  );
}
