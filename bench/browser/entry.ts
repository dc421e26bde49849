// The in-page bench entry: bundled by page-bundle.ts, loaded by bench.html, driven by
// client-bench.ts through page.evaluate. It only wires the passes to window.kubeglassBench; the
// measuring code lives in decode-passes.ts, pod-informer-run.ts and persistence-passes.ts.
import {
  captureReplay,
  decoderFromMemoryPass,
  decoderLivePass,
  rawParsePass,
  transportPass,
} from './decode-passes.ts';
import { type BenchPageApi, PAGE_API_GLOBAL } from './page-api.ts';
import { persistPass, warmStartPass } from './persistence-passes.ts';
import { PodInformerRun } from './pod-informer-run.ts';

/** Bounds the initial list of the informer (50,000 pods through the proxy take seconds, not minutes). */
const SYNC_TIMEOUT_MS = 180_000;

// Page state. Invariant: `captured` holds exactly `capturedEvents` complete event lines.
let captured: Uint8Array | undefined;
let capturedEvents = 0;
let run: PodInformerRun | undefined;

function requireCaptured(): Uint8Array {
  if (!captured) throw new Error('no captured replay: call capture() first');
  return captured;
}

function requireRun(): PodInformerRun {
  if (!run) throw new Error('no informer running: call startInformer() first');
  return run;
}

const api: BenchPageApi = {
  transport: (opts) => transportPass(opts),
  async capture(opts) {
    const { result, bytes } = await captureReplay(opts);
    captured = bytes;
    capturedEvents = result.events;
    return result;
  },
  rawParse: async () => rawParsePass(requireCaptured(), capturedEvents),
  decoderFromMemory: () => decoderFromMemoryPass(requireCaptured(), capturedEvents),
  decoderLive: (opts) => decoderLivePass(opts),
  async release() {
    captured = undefined;
    capturedEvents = 0;
  },

  async startInformer({ context, pageSize, transport }) {
    if (run) throw new Error('an informer is already running: call stopInformer() first');
    run = new PodInformerRun(context, pageSize, transport);
    return run.start(SYNC_TIMEOUT_MS);
  },
  openWatchGate: async () => requireRun().openWatchGate(),
  async armUpdateCounter({ expected }) {
    requireRun().armUpdateCounter(expected);
  },
  waitUpdates: ({ timeoutMs }) => requireRun().waitUpdates(timeoutMs),
  resourceVersionOf: async ({ key }) => requireRun().resourceVersionOf(key),
  async persistStore({ databaseName }) {
    const { informer, context } = requireRun();
    return persistPass(
      databaseName,
      context,
      informer.getIndexer().list(),
      informer.lastSyncResourceVersion(),
    );
  },
  async stopInformer() {
    const current = run;
    run = undefined;
    await current?.stop();
  },

  warmStart: ({ databaseName, context, firstN }) => warmStartPass(databaseName, context, firstN),
};

Object.defineProperty(globalThis, PAGE_API_GLOBAL, { value: api, configurable: false, writable: false });
