// Page-level helpers for the explorer specs: open the app the way a user does (the printed URL
// first, for the session cookie), find rows by their cells, time when a row reaches the DOM, and
// keep screenshots. Everything goes through roles, labels and URLs, never through src/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { SESSION_QUERY_PARAM } from '../../proxy/contract/api.ts';
import { readE2eState } from './e2e-state.ts';

/** Where the main views' screenshots are kept (test-results/ is gitignored). */
export const SCREENSHOT_DIR = join('test-results', 'screenshots');

/**
 * Open the printed URL (exchanging the token for the session cookie), then, if given, the deep
 * link `query` (e.g. `ctx=sim-cert&r=v1/pods&ns=default`). Returns once the token is gone from the
 * address bar.
 */
export async function openExplorer(page: Page, query?: string): Promise<void> {
  const state = readE2eState();
  await page.goto(state.url);
  await expect.poll(() => new URL(page.url()).searchParams.has(SESSION_QUERY_PARAM)).toBe(false);
  if (query !== undefined) await page.goto(`${state.origin}/?${query}`);
}

/** The body row group of the grid named after `plural` ("pods rows"). */
export function rowsOf(page: Page, plural: string): Locator {
  return page.getByRole('rowgroup', { name: `${plural} rows` });
}

/** Rows of the `plural` grid that have a cell whose whole text is `cell` (e.g. an object's name). */
export function rowWithCell(page: Page, plural: string, cell: string): Locator {
  return rowsOf(page, plural)
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: cell, exact: true }) });
}

/** The grid's column header titles as written (textContent: CSS upper-casing ignored), sort marks trimmed. */
export async function columnTitles(page: Page, plural: string): Promise<string[]> {
  const headers = page.getByRole('grid', { name: plural, exact: true }).getByRole('columnheader');
  return (await headers.allTextContents()).map((t) => t.replace(/[▲▼]/g, '').trim());
}

/**
 * Start timing a row: from now on the page records (in its own clock, Date.now) the first moment
 * a row of the `plural` grid has a cell whose text is exactly `cell`. Returns a function that waits
 * (bounded) for that moment and resolves to it, or rejects if the row never came. Arm it before
 * the change is made, so the observer cannot miss it; it throws if the row is already there.
 */
export async function armRowTimer(
  page: Page,
  plural: string,
  cell: string,
): Promise<(timeoutMs: number) => Promise<number>> {
  const key = `${plural}\u0000${cell}`;
  const alreadyThere = await page.evaluate(
    ({ label, text, id }) => {
      const present = (): boolean => {
        const group = document.querySelector(`[role="rowgroup"][aria-label="${CSS.escape(label)}"]`);
        if (!group) return false;
        return Array.from(group.querySelectorAll('[role="row"] > [role="gridcell"]')).some(
          (c) => c.textContent === text,
        );
      };
      // A page-global map of "first seen" times, keyed by grid and cell; typed here, not in src/.
      const holder = window as unknown as { __kubeglassE2eSeen?: Record<string, number> };
      holder.__kubeglassE2eSeen ??= {};
      const seen = holder.__kubeglassE2eSeen;
      if (present()) return true;
      const observer = new MutationObserver(() => {
        if (seen[id] === undefined && present()) {
          seen[id] = Date.now();
          observer.disconnect();
        }
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      // Bounded: the observer gives up after a minute even if nobody waits for it.
      setTimeout(() => observer.disconnect(), 60_000);
      return false;
    },
    { label: `${plural} rows`, text: cell, id: key },
  );
  if (alreadyThere) throw new Error(`armRowTimer: a ${plural} row with "${cell}" is already on screen`);
  return async (timeoutMs) => {
    const handle = await page.waitForFunction(
      (id) => (window as unknown as { __kubeglassE2eSeen?: Record<string, number> }).__kubeglassE2eSeen?.[id],
      key,
      { timeout: timeoutMs, polling: 50 },
    );
    const at = await handle.jsonValue();
    if (typeof at !== 'number') throw new Error(`armRowTimer: no time recorded for "${cell}"`);
    return at;
  };
}

/** Save a full-page screenshot as test-results/screenshots/<name>.png and attach it to the report. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
