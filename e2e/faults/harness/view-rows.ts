// What the explorer's open views hold, read through the page's read-only window.__kubeglassInspect
// (src/main.tsx), and the check the fault suite ends every scenario with: every open view equals
// the server's list, compared by namespace/name/resourceVersion. The wait is bounded: poll until
// equal or the timeout, then fail with the difference.
//
// The types are declared here, not imported from src/ (e2e works only through the browser and
// the proxy's HTTP); they mirror InspectedView in src/react/table-source-registry.ts.
import type { Page } from '@playwright/test';

export interface ViewRow {
  namespace: string;
  name: string;
  resourceVersion: string;
}

export interface OpenView {
  key: string;
  context: string;
  /** "v1/pods", "apps/v1/deployments". */
  gvr: string;
  /** "" for all namespaces or a cluster-scoped resource. */
  namespace: string;
  labelSelector: string;
  fieldSelector: string;
  views: number;
  phase: 'listing' | 'synced' | 'reconnecting' | 'forbidden' | 'unauthorized' | 'stopped';
  lastSyncRV: string;
  reason: string | null;
  lastError: string | null;
  fromCache: boolean;
  count: number;
  rows: ViewRow[];
}

/** The server's list for one view, and the RV it is consistent with. */
export interface ServerList {
  resourceVersion: string;
  items: ViewRow[];
}

/**
 * Lists what the server holds for a view. `atResourceVersion` asks for the state at exactly that
 * RV (resourceVersionMatch=Exact); the lister may ignore it (and say so by the RV it returns) when
 * the server cannot serve it any more.
 */
export type ServerLister = (view: OpenView, atResourceVersion?: string) => Promise<ServerList>;

/** Every open view of the page (each key at least one view retains). */
export async function readOpenViews(page: Page): Promise<OpenView[]> {
  return page.evaluate(() => {
    const inspect = (window as unknown as { __kubeglassInspect?: () => unknown }).__kubeglassInspect;
    if (typeof inspect !== 'function')
      throw new Error('window.__kubeglassInspect is missing: is this the built app?');
    return inspect() as OpenView[];
  });
}

export interface ViewDiff {
  view: string;
  missing: ViewRow[];
  extra: ViewRow[];
  /** Same object, other resourceVersion: [shown, server]. */
  stale: [ViewRow, ViewRow][];
}

const rowKey = (r: ViewRow) => `${r.namespace}/${r.name}`;

/** The difference between a view's rows and the server's (pure). */
export function diffRows(view: string, shown: readonly ViewRow[], server: readonly ViewRow[]): ViewDiff {
  const byKey = new Map(shown.map((r) => [rowKey(r), r]));
  const diff: ViewDiff = { view, missing: [], extra: [], stale: [] };
  for (const s of server) {
    const mine = byKey.get(rowKey(s));
    if (!mine) diff.missing.push(s);
    else if (mine.resourceVersion !== s.resourceVersion) diff.stale.push([mine, s]);
    byKey.delete(rowKey(s));
  }
  diff.extra = [...byKey.values()];
  return diff;
}

export const diffSize = (d: ViewDiff) => d.missing.length + d.extra.length + d.stale.length;

function describeDiff(d: ViewDiff): string {
  const sample = (rows: ViewRow[]) =>
    rows
      .slice(0, 5)
      .map((r) => `${rowKey(r)}@${r.resourceVersion}`)
      .join(', ');
  return (
    `${d.view}: ${d.missing.length} missing [${sample(d.missing)}], ${d.extra.length} extra [${sample(d.extra)}], ` +
    `${d.stale.length} stale [${d.stale
      .slice(0, 5)
      .map(([a, b]) => `${rowKey(a)} shown@${a.resourceVersion} server@${b.resourceVersion}`)
      .join(', ')}]`
  );
}

export interface ViewComparison {
  views: number;
  /** Objects compared in the final comparison (the server's items summed over views). */
  objectsCompared: number;
  /** Differences left in the final comparison (0 when it succeeded). */
  mismatches: number;
  diffs: ViewDiff[];
  /** How many polls it took. */
  attempts: number;
}

/** Thrown when the views never matched; carries the last comparison for the ledger. */
export class ViewsDifferError extends Error {
  override readonly name = 'ViewsDifferError';
  readonly comparison: ViewComparison;
  constructor(message: string, comparison: ViewComparison) {
    super(message);
    this.comparison = comparison;
  }
}

export interface ExpectViewsOptions {
  /** Overall bound (default 30 s). */
  timeoutMs?: number;
  /** Between polls (default 300 ms). */
  intervalMs?: number;
  /** At least this many open views, synced (default 1). */
  minViews?: number;
  /** Only views matching this are compared (default: all). */
  filter?: (view: OpenView) => boolean;
}

/**
 * One comparison of every open view with the server's latest list, no waiting: for checking that
 * a fault took effect (the views are behind) before recovery is checked.
 */
export async function compareViewsOnce(page: Page, serverList: ServerLister): Promise<ViewComparison> {
  const views = await readOpenViews(page);
  const diffs: ViewDiff[] = [];
  let compared = 0;
  for (const view of views) {
    const server = await serverList(view);
    compared += server.items.length;
    diffs.push(diffRows(view.key, view.rows, server.items));
  }
  const mismatches = diffs.reduce((n, d) => n + diffSize(d), 0);
  return { views: views.length, objectsCompared: compared, mismatches, diffs, attempts: 1 };
}

/**
 * Poll until every open view (at least `minViews`) is synced and equals the server's list, or the
 * timeout passes; then throw with the diff. Under churn the server moves on between reading the
 * page and listing, so each view is compared with the server's state at exactly the view's
 * lastSyncRV when the lister can serve it, and with the latest state otherwise.
 */
export async function expectViewsEqualServer(
  page: Page,
  serverList: ServerLister,
  opts: ExpectViewsOptions = {},
): Promise<ViewComparison> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 300;
  const minViews = opts.minViews ?? 1;
  const deadline = Date.now() + timeoutMs;
  let last: ViewComparison = { views: 0, objectsCompared: 0, mismatches: 0, diffs: [], attempts: 0 };
  let lastProblem = 'no poll finished';
  for (let attempt = 1; ; attempt++) {
    const views = (await readOpenViews(page)).filter(opts.filter ?? (() => true));
    const unsynced = views.filter((v) => v.phase !== 'synced');
    if (views.length < minViews) lastProblem = `${views.length} open views, expected at least ${minViews}`;
    else if (unsynced.length > 0)
      lastProblem = `not synced: ${unsynced
        .slice(0, 5)
        .map((v) => `${v.key} ${v.phase}${v.lastError ? ` (${v.lastError})` : ''}`)
        .join('; ')}`;
    else {
      const diffs: ViewDiff[] = [];
      let compared = 0;
      for (const view of views) {
        const server = await serverList(view, view.lastSyncRV || undefined);
        compared += server.items.length;
        diffs.push(diffRows(view.key, view.rows, server.items));
      }
      const mismatches = diffs.reduce((n, d) => n + diffSize(d), 0);
      last = { views: views.length, objectsCompared: compared, mismatches, diffs, attempts: attempt };
      if (mismatches === 0) return last;
      lastProblem = diffs
        .filter((d) => diffSize(d) > 0)
        .slice(0, 3)
        .map(describeDiff)
        .join('\n');
    }
    if (Date.now() + intervalMs > deadline) {
      throw new ViewsDifferError(
        `open views did not equal the server within ${timeoutMs} ms (${attempt} polls):\n${lastProblem}`,
        { ...last, attempts: attempt, mismatches: Math.max(1, last.mismatches) },
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
