// Runs inside the benchmarked page (bundled by page-probe-bundle.ts): reads the pods table the way
// a user sees it and records, while the load runs, (1) every change of a focus row's RESTARTS cell
// in the DOM with Date.now() — a MutationObserver callback runs right after the render that made
// the change, before the frame is painted — (2) the Long Tasks API entries (tasks ≥ 50 ms) and
// (3) the longest interval between animation frames, which bounds any task from above because a
// task that blocks the main thread also holds back the next frame, and (4) the pod watches the app
// opens over its watch multiplexer (an 'open' frame on a WebSocket) and the pod lists it starts
// (its fetch calls): a new watch or a relist during the load means the old watch was closed or
// expired. Both are counted in the page, so the driver needs no Network domain (which would ship
// every frame to it: bench/support/cdp-browser.ts).
//
// The table is the app's LiveTable: role=grid, header cells role=columnheader, body rows
// role=row inside the rowgroup marked data-table-body, cells role=gridcell in column order.

export interface ProbeRow {
  /** "namespace/name", the table's row key. */
  key: string;
  status: string;
  /** The leading integer of the RESTARTS cell ("3 (2m ago)" → 3); null if it has none. */
  restarts: number | null;
  /** Entirely inside the scrolled viewport (not one of the virtualizer's overscan rows). */
  onScreen: boolean;
}

export interface ProbeReport {
  observed: Record<string, { base: number; seen: { value: number; at: number }[] }>;
  /** False where the browser has no Long Tasks API (then longTasks is empty, not "none happened"). */
  longTaskSupported: boolean;
  longTasks: { start: number; duration: number }[];
  maxFrameGapMs: number;
  frames: number;
  mutationCallbacks: number;
  windowMs: number;
  /** Pod watches the page opened over a WebSocket while recording (multiplexer 'open' frames). */
  podWatchesOpened: number;
  /** Pod lists (GETs of the pods collection that are not watches) the page started while recording. */
  podListsStarted: number;
}

export interface UiProbe {
  rows(): ProbeRow[];
  /** Starts recording for these row keys; throws if one is not in the DOM with a RESTARTS number. */
  start(keys: string[]): void;
  /** Per recorded row key: its RESTARTS value when recording started, and the highest seen since. */
  progress(): Record<string, { base: number; latest: number }>;
  stop(): ProbeReport;
}

interface Columns {
  namespace: number;
  name: number;
  status: number;
  restarts: number;
}

const LEADING_INT = /^\s*(\d+)/;

export function createUiProbe(doc: Document): UiProbe {
  const body = () => {
    const el = doc.querySelector<HTMLElement>('[data-table-body]');
    if (!el) throw new Error('no table body ([data-table-body]) in the page');
    return el;
  };
  const columns = (): Columns => {
    const titles = Array.from(doc.querySelectorAll('[role="grid"] [role="columnheader"]')).map((h) =>
      (h.textContent ?? '').replace(/[▲▼]/g, '').trim(),
    );
    const at = (title: string) => {
      const i = titles.indexOf(title);
      if (i < 0) throw new Error(`the table has no "${title}" column (columns: ${titles.join(', ')})`);
      return i;
    };
    return { namespace: at('Namespace'), name: at('Name'), status: at('Status'), restarts: at('Restarts') };
  };
  const readRow = (row: Element, cols: Columns) => {
    const cells = row.querySelectorAll('[role="gridcell"]');
    const text = (i: number) => cells[i]?.textContent ?? '';
    const m = LEADING_INT.exec(text(cols.restarts));
    return {
      key: `${text(cols.namespace)}/${text(cols.name)}`,
      status: text(cols.status),
      restarts: m ? Number(m[1]) : null,
    };
  };

  let recording:
    | {
        cols: Columns;
        observed: ProbeReport['observed'];
        last: Map<string, number>;
        longTasks: ProbeReport['longTasks'];
        mutationCallbacks: number;
        maxFrameGapMs: number;
        frames: number;
        startedAt: number;
        stopFrames: boolean;
        mutations: MutationObserver;
        tasks: PerformanceObserver | undefined;
        podWatchesOpened: number;
        podListsStarted: number;
        /** Put WebSocket.prototype.send and fetch back as they were. */
        unhookSend: () => void;
        unhookFetch: () => void;
      }
    | undefined;

  return {
    rows() {
      const el = body();
      const cols = columns();
      const view = el.getBoundingClientRect();
      return Array.from(el.querySelectorAll('[role="row"]')).map((row) => {
        const r = row.getBoundingClientRect();
        return { ...readRow(row, cols), onScreen: r.top >= view.top && r.bottom <= view.bottom };
      });
    },

    start(keys) {
      if (recording) throw new Error('the probe is already recording');
      const cols = columns();
      const current = new Map<string, number | null>();
      for (const row of Array.from(body().querySelectorAll('[role="row"]'))) {
        const { key, restarts } = readRow(row, cols);
        current.set(key, restarts);
      }
      const observed: ProbeReport['observed'] = {};
      const last = new Map<string, number>();
      for (const key of keys) {
        const base = current.get(key);
        if (base === undefined || base === null)
          throw new Error(`row ${key} is not in the DOM with a RESTARTS number`);
        observed[key] = { base, seen: [] };
        last.set(key, base);
      }
      const onMutations = (records: MutationRecord[]) => {
        const at = Date.now();
        const rec = recording;
        if (!rec) return;
        rec.mutationCallbacks++;
        // Only rows touched by these records are read: O(changed rows), not O(rendered rows).
        const rows = new Set<Element>();
        for (const m of records) {
          const el = m.target instanceof Element ? m.target : m.target.parentElement;
          const row = el?.closest('[role="row"]');
          if (row) rows.add(row);
          for (const n of Array.from(m.addedNodes))
            if (n instanceof Element && n.getAttribute('role') === 'row') rows.add(n);
        }
        for (const row of rows) {
          const { key, restarts } = readRow(row, rec.cols);
          const prev = rec.last.get(key);
          if (prev === undefined || restarts === null || restarts <= prev) continue;
          rec.last.set(key, restarts);
          rec.observed[key]?.seen.push({ value: restarts, at });
        }
      };
      const mutations = new MutationObserver(onMutations);
      mutations.observe(body(), { subtree: true, childList: true, characterData: true });
      const longTaskSupported =
        typeof PerformanceObserver === 'function' &&
        (PerformanceObserver.supportedEntryTypes ?? []).includes('longtask');
      const tasks = longTaskSupported
        ? new PerformanceObserver((list) => {
            for (const e of list.getEntries())
              recording?.longTasks.push({ start: e.startTime, duration: e.duration });
          })
        : undefined;
      tasks?.observe({ type: 'longtask' });
      recording = {
        cols,
        observed,
        last,
        longTasks: [],
        mutationCallbacks: 0,
        maxFrameGapMs: 0,
        frames: 0,
        startedAt: performance.now(),
        stopFrames: false,
        mutations,
        tasks,
        podWatchesOpened: 0,
        podListsStarted: 0,
        unhookSend: () => {},
        unhookFetch: () => {},
      };
      const rec = recording;
      rec.unhookSend = hookWebSocketSend(doc, (data) => {
        if (isPodWatchOpen(data)) rec.podWatchesOpened++;
      });
      rec.unhookFetch = hookFetch(doc, (url) => {
        if (isPodList(url)) rec.podListsStarted++;
      });
      let prevFrame = -1;
      const frame = (t: number) => {
        if (rec.stopFrames) return;
        if (prevFrame >= 0) rec.maxFrameGapMs = Math.max(rec.maxFrameGapMs, t - prevFrame);
        prevFrame = t;
        rec.frames++;
        requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    },

    progress() {
      const rec = recording;
      if (!rec) throw new Error('the probe is not recording');
      const out: Record<string, { base: number; latest: number }> = {};
      for (const [key, o] of Object.entries(rec.observed))
        out[key] = { base: o.base, latest: rec.last.get(key) ?? o.base };
      return out;
    },

    stop() {
      const rec = recording;
      if (!rec) throw new Error('the probe is not recording');
      // Records still queued at stop would be timed late; stop runs after a settle period, so there
      // are normally none, and dropping them can only lose samples (counted as unobserved).
      rec.mutations.takeRecords();
      rec.mutations.disconnect();
      for (const e of rec.tasks?.takeRecords() ?? [])
        rec.longTasks.push({ start: e.startTime, duration: e.duration });
      rec.tasks?.disconnect();
      rec.unhookSend();
      rec.unhookFetch();
      rec.stopFrames = true;
      recording = undefined;
      return {
        observed: rec.observed,
        longTaskSupported: rec.tasks !== undefined,
        longTasks: rec.longTasks.filter((t) => t.start + t.duration >= rec.startedAt),
        maxFrameGapMs: rec.maxFrameGapMs,
        frames: rec.frames,
        mutationCallbacks: rec.mutationCallbacks,
        windowMs: performance.now() - rec.startedAt,
        podWatchesOpened: rec.podWatchesOpened,
        podListsStarted: rec.podListsStarted,
      };
    },
  };
}

/**
 * Call onSend with every message the page sends on any WebSocket, until the returned function puts
 * the original send back. The wrapper is looked up on the prototype at each call, so sockets the
 * app opened before recording started are seen too.
 */
function hookWebSocketSend(doc: Document, onSend: (data: unknown) => void): () => void {
  const WebSocketClass = doc.defaultView?.WebSocket;
  if (!WebSocketClass) return () => {};
  const proto = WebSocketClass.prototype;
  const original = proto.send;
  proto.send = function send(this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
    onSend(data);
    return original.call(this, data);
  };
  return () => {
    proto.send = original;
  };
}

/**
 * Call onRequest with the URL of every fetch the page starts, until the returned function puts the
 * original back. The app looks fetch up on globalThis at each call (rest-client.ts), so this sees
 * the requests of clients created before recording started.
 */
function hookFetch(doc: Document, onRequest: (url: string) => void): () => void {
  const win = doc.defaultView;
  if (!win) return () => {};
  const original = win.fetch;
  win.fetch = function fetch(input: RequestInfo | URL, init?: RequestInit) {
    onRequest(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return original.call(win, input, init);
  };
  return () => {
    win.fetch = original;
  };
}

/** A GET of the pods collection that is not a watch: a list (a page of one). */
function isPodList(href: string): boolean {
  const url = new URL(href, 'http://probe.invalid');
  return POD_COLLECTION.test(url.pathname) && url.searchParams.get('watch') !== 'true';
}

/** The pods collection, cluster-wide or of one namespace, under /clusters/{context}. */
const POD_COLLECTION = /\/api\/v1\/(namespaces\/[^/]+\/)?pods$/;

/** A watch multiplexer 'open' frame (proxy/contract/watch-mux.ts) for a pod watch. */
function isPodWatchOpen(data: unknown): boolean {
  if (typeof data !== 'string') return false;
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    return false;
  }
  if (typeof frame !== 'object' || frame === null) return false;
  const { op, path } = frame as { op?: unknown; path?: unknown };
  if (op !== 'open' || typeof path !== 'string') return false;
  const url = new URL(path, 'http://probe.invalid');
  return POD_COLLECTION.test(url.pathname) && url.searchParams.get('watch') === 'true';
}
