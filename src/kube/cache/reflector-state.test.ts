import { describe, expect, it } from 'vitest';
import type { KubeObject, WatchEvent } from '../api/types.ts';
import {
  initialReflectorState,
  listPageSize,
  type ReflectorConfig,
  type ReflectorEffect,
  type ReflectorInput,
  type ReflectorState,
  relistResourceVersion,
  step,
} from './reflector-state.ts';
import { deletionHandlingMetaNamespaceKeyFunc } from './store.ts';
import { expiredStatus, statusError, tooLargeError } from './testing/fake-cluster.ts';
import { pod } from './testing/objects.ts';

const config = (over: Partial<ReflectorConfig> = {}): ReflectorConfig => ({
  useWatchList: false,
  pageSize: undefined,
  expectedKind: undefined,
  keyFunc: deletionHandlingMetaNamespaceKeyFunc,
  maxInternalErrorRetryDurationMs: 0,
  ...over,
});

/** Run inputs through step, collecting every effect. */
function run(
  state: ReflectorState,
  ...inputs: ReflectorInput[]
): { state: ReflectorState; effects: ReflectorEffect[] } {
  const effects: ReflectorEffect[] = [];
  let current = state;
  for (const input of inputs) {
    const t = step(current, input);
    current = t.next;
    effects.push(...t.effects);
  }
  return { state: current, effects };
}

const ev = (
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK',
  object: KubeObject,
  now = 0,
): ReflectorInput => ({
  type: 'event',
  event: { type, object } as WatchEvent,
  now,
});
const listed = (rv: string, items: KubeObject[] = [], paginated = false): ReflectorInput => ({
  type: 'listSucceeded',
  items,
  resourceVersion: rv,
  paginated,
});
const types = (effects: ReflectorEffect[]) => effects.map((e) => e.type);

/** A state that has listed at rv "10" and has an open watch. */
function watching(over: Partial<ReflectorConfig> = {}): ReflectorState {
  return run(initialReflectorState(config(over)), { type: 'start' }, listed('10'), {
    type: 'watchOpened',
    now: 0,
  }).state;
}

describe('reflector step: list phase', () => {
  it('R-05: lists at "0" first, then lastSyncRV, then "" once the RV is unavailable', () => {
    const s0 = initialReflectorState(config());
    expect(relistResourceVersion(s0.memory)).toBe('0');
    const warm = initialReflectorState(config(), '42');
    expect(run(warm, { type: 'start' }).effects).toEqual([
      { type: 'list', resourceVersion: '42', pageSize: 0 },
    ]);
    expect(relistResourceVersion({ ...warm.memory, rvUnavailable: true })).toBe('');
  });

  it('R-06/R-07: explicit page size wins; paging stays on after a paginated RV=0 list; off for other RVs', () => {
    const mem = initialReflectorState(config()).memory;
    expect(listPageSize(config({ pageSize: 50 }), mem, '7')).toBe(50);
    expect(listPageSize(config(), mem, '0')).toBe(500);
    expect(listPageSize(config(), mem, '')).toBe(500);
    expect(listPageSize(config(), mem, '7')).toBe(0);
    const after = run(initialReflectorState(config()), { type: 'start' }, listed('7', [], true)).state;
    expect(after.memory.paginatedResult).toBe(true);
    expect(listPageSize(config(), after.memory, '7')).toBe(500);
    // a paginated list at another RV does not count.
    const warm = run(initialReflectorState(config(), '5'), { type: 'start' }, listed('7', [], true)).state;
    expect(warm.memory.paginatedResult).toBe(false);
  });

  it('R-09/R-11: a list replaces the store, records lastSyncRV and watches from it', () => {
    const items = [pod('a', 'x', '3')];
    const { state, effects } = run(initialReflectorState(config()), { type: 'start' }, listed('9', items));
    expect(effects).toEqual([
      { type: 'list', resourceVersion: '0', pageSize: 500 },
      { type: 'replace', items, resourceVersion: '9' },
      { type: 'watch', resourceVersion: '9', sendInitialEvents: false },
    ]);
    expect(state.memory).toMatchObject({ lastSyncRV: '9', synced: true, rvUnavailable: false });
    expect(state.phase.kind).toBe('WatchStarting');
  });

  it('R-08/R-26/R-20: an expired or too-large list retries at once with a quorum read, once', () => {
    for (const error of [statusError(410, 'Expired'), tooLargeError()]) {
      const { state, effects } = run(
        initialReflectorState(config(), '42'),
        { type: 'start' },
        { type: 'listFailed', error },
      );
      expect(effects.at(-1)).toEqual({ type: 'list', resourceVersion: '', pageSize: 500 });
      expect(state.memory.rvUnavailable).toBe(true);
      const again = run(state, { type: 'listFailed', error });
      expect(types(again.effects)).toEqual(['reportError', 'backoff']);
      expect(again.state.phase).toMatchObject({ kind: 'Backoff', resume: 'round' });
      expect(relistResourceVersion(again.state.memory)).toBe('');
      // The next successful list clears the mark.
      const ok = run(again.state, { type: 'backoffElapsed' }, listed('50'));
      expect(ok.state.memory.rvUnavailable).toBe(false);
    }
  });

  it('R-09: any other list error ends the round with "failed to list"', () => {
    const { effects } = run(
      initialReflectorState(config()),
      { type: 'start' },
      { type: 'listFailed', error: statusError(500, 'InternalError') },
    );
    const report = effects.find((e) => e.type === 'reportError');
    expect(String((report as { error: unknown }).error)).toMatch(/failed to list: InternalError/);
    expect(types(effects)).toEqual(['list', 'reportError', 'backoff']);
  });
});

describe('reflector step: watch phase', () => {
  it('R-13/R-14: events go to the store in order and move lastSyncRV', () => {
    const { state, effects } = run(
      watching(),
      ev('ADDED', pod('a', 'x', '11')),
      ev('MODIFIED', pod('a', 'x', '12')),
      ev('DELETED', pod('a', 'x', '13')),
      ev('BOOKMARK', { kind: 'Pod', metadata: { resourceVersion: '20' } }),
    );
    expect(types(effects)).toEqual(['add', 'update', 'delete', 'bookmark']);
    expect(effects.at(-1)).toEqual({ type: 'bookmark', resourceVersion: '20' });
    expect(state.memory.lastSyncRV).toBe('20');
  });

  it('R-14: after a watch from "0", synthetic ADDED events do not move lastSyncRV until another type arrives', () => {
    // A list that returned RV "0"-less metadata leaves lastSyncRV "" and the watch starts at "".
    let s = run(initialReflectorState(config()), { type: 'start' }, listed('')).state;
    s = run(s, { type: 'watchOpened', now: 0 }).state;
    expect(s.phase).toMatchObject({ kind: 'Watching', awaitingNonAdded: true });
    s = run(s, ev('ADDED', pod('a', 'x', '30')), ev('ADDED', pod('a', 'y', '20'))).state;
    expect(s.memory.lastSyncRV).toBe('');
    s = run(s, ev('MODIFIED', pod('a', 'y', '31')), ev('ADDED', pod('a', 'z', '32'))).state;
    expect(s.memory.lastSyncRV).toBe('32');
  });

  it('R-15/R-18/R-20: a 410 ERROR event closes the watch and relists after backoff at lastSyncRV', () => {
    const s = run(watching(), ev('ADDED', pod('a', 'x', '11'))).state;
    const { state, effects } = run(s, {
      type: 'event',
      event: { type: 'ERROR', object: expiredStatus() },
      now: 5,
    });
    expect(types(effects)).toEqual(['closeWatch', 'reportError', 'backoff']);
    expect(state.memory.rvUnavailable).toBe(false);
    const relist = run(state, { type: 'backoffElapsed' });
    expect(relist.effects).toEqual([{ type: 'list', resourceVersion: '11', pageSize: 0 }]);
  });

  it('R-16: a watch that closes after 1 s or with events is restarted at once from lastSyncRV', () => {
    const a = run(watching(), { type: 'watchEnded', now: 1000 });
    expect(a.effects).toEqual([{ type: 'watch', resourceVersion: '10', sendInitialEvents: false }]);
    const b = run(watching(), ev('ADDED', pod('a', 'x', '11')), { type: 'watchEnded', now: 10 });
    expect(b.effects.at(-1)).toEqual({ type: 'watch', resourceVersion: '11', sendInitialEvents: false });
  });

  it('R-17/R-24: a watch closing in under 1 s with no events is a very short watch: backoff, relist', () => {
    const { state, effects } = run(watching(), { type: 'watchEnded', now: 999 });
    expect(types(effects)).toEqual(['reportError', 'backoff']);
    expect(String((effects[0] as { error: unknown }).error)).toMatch(/very short watch/);
    expect(state.phase).toMatchObject({ kind: 'Backoff', resume: 'round' });
  });

  it('R-12: refused or 429 on watch start backs off and watches again without a relist', () => {
    for (const error of [new TypeError('fetch failed'), statusError(429, 'TooManyRequests')]) {
      const start = run(initialReflectorState(config()), { type: 'start' }, listed('10')).state;
      const failed = run(start, { type: 'watchStartFailed', error, now: 0 });
      expect(types(failed.effects)).toEqual(['backoff']);
      expect(run(failed.state, { type: 'backoffElapsed' }).effects).toEqual([
        { type: 'watch', resourceVersion: '10', sendInitialEvents: false },
      ]);
    }
    const start = run(initialReflectorState(config()), { type: 'start' }, listed('10')).state;
    const other = run(start, { type: 'watchStartFailed', error: statusError(403, 'Forbidden'), now: 0 });
    expect(types(other.effects)).toEqual(['reportError', 'backoff']);
    expect(other.state.phase).toMatchObject({ kind: 'Backoff', resume: 'round' });
  });

  it('R-18: a 429 during the watch backs off and rewatches; other errors end the round', () => {
    const tooMany = run(watching(), {
      type: 'watchEnded',
      now: 5000,
      error: statusError(429, 'TooManyRequests'),
    });
    expect(tooMany.state.phase).toMatchObject({ kind: 'Backoff', resume: 'watch' });
    const other = run(watching(), { type: 'watchEnded', now: 5000, error: new Error('boom') });
    expect(other.state.phase).toMatchObject({ kind: 'Backoff', resume: 'round' });
  });

  it('R-27: watch 500s are retried at once within the window, then end the round', () => {
    const error = statusError(500, 'InternalError');
    const s = watching({ maxInternalErrorRetryDurationMs: 10_000 });
    const first = run(s, { type: 'watchEnded', now: 1000, error });
    expect(types(first.effects)).toEqual(['watch']);
    const opened = run(first.state, { type: 'watchOpened', now: 1000 }).state;
    const late = run(opened, { type: 'watchEnded', now: 12_000, error });
    expect(types(late.effects)).toEqual(['reportError', 'backoff']);
    // Off by default.
    expect(types(run(watching(), { type: 'watchEnded', now: 1000, error }).effects)).toEqual([
      'reportError',
      'backoff',
    ]);
  });

  it('R-19: Tables, foreign kinds and nameless objects are skipped; the watch goes on', () => {
    const s = watching({ expectedKind: 'Pod' });
    const { state, effects } = run(
      s,
      ev('ADDED', { kind: 'Table', metadata: { name: 't', resourceVersion: '11' } }),
      ev('ADDED', { kind: 'Node', metadata: { name: 'n', resourceVersion: '12' } }),
      ev('ADDED', { kind: 'Pod', metadata: { resourceVersion: '13' } }),
      ev('ADDED', pod('a', 'ok', '14')),
    );
    expect(types(effects)).toEqual(['warn', 'warn', 'warn', 'add']);
    expect(state.memory.lastSyncRV).toBe('14');
    expect(state.phase.kind).toBe('Watching');
  });

  it('a failed replace ends the round (closing an open stream) instead of watching on a stale store', () => {
    const afterList = run(initialReflectorState(config()), { type: 'start' }, listed('10')).state;
    const failed = run(afterList, { type: 'replaceFailed', error: new Error('transform bug') });
    expect(types(failed.effects)).toEqual(['reportError', 'backoff']);
    expect(failed.state.phase).toMatchObject({ kind: 'Backoff', resume: 'round' });
    const streamed = run(watching(), { type: 'replaceFailed', error: new Error('x') });
    expect(types(streamed.effects)).toEqual(['closeWatch', 'reportError', 'backoff']);
  });

  it('R-22: stop closes an open watch and ignores every later input', () => {
    const { state, effects } = run(watching(), { type: 'stop' }, ev('ADDED', pod('a', 'x', '11')));
    expect(effects).toEqual([{ type: 'closeWatch' }]);
    expect(state.phase.kind).toBe('Stopped');
  });
});

describe('reflector step: streaming list', () => {
  const streaming = () =>
    run(
      initialReflectorState(config({ useWatchList: true })),
      { type: 'start' },
      { type: 'watchOpened', now: 0 },
    );
  const endBookmark = (rv: string) =>
    ev('BOOKMARK', {
      kind: 'Pod',
      metadata: { resourceVersion: rv, annotations: { 'k8s.io/initial-events-end': 'true' } },
    });

  it('R-30/R-31: collects initial events, replaces on the end bookmark and keeps the stream', () => {
    const { state, effects } = run(
      streaming().state,
      ev('ADDED', pod('a', 'x', '3')),
      ev('ADDED', pod('a', 'y', '4')),
      ev('DELETED', pod('a', 'x', '5')),
      endBookmark('9'),
      ev('MODIFIED', pod('a', 'y', '10')),
    );
    expect(streaming().effects).toEqual([{ type: 'watch', resourceVersion: '', sendInitialEvents: true }]);
    expect(effects).toEqual([
      { type: 'replace', items: [pod('a', 'y', '4')], resourceVersion: '9' },
      { type: 'update', object: pod('a', 'y', '10') },
    ]);
    expect(state.memory).toMatchObject({ lastSyncRV: '10', synced: true });
  });

  it('R-30: a warm start streams from lastSyncRV', () => {
    expect(
      run(initialReflectorState(config({ useWatchList: true }), '77'), { type: 'start' }).effects,
    ).toEqual([{ type: 'watch', resourceVersion: '77', sendInitialEvents: true }]);
  });

  it('R-32: 429 retries the stream after backoff; expiry retries with ""; others fall back to a list', () => {
    const warm = () =>
      run(initialReflectorState(config({ useWatchList: true }), '77'), { type: 'start' }).state;
    const tooMany = run(
      warm(),
      { type: 'watchStartFailed', error: statusError(429, 'TooManyRequests'), now: 0 },
      { type: 'backoffElapsed' },
    );
    expect(tooMany.effects.at(-1)).toEqual({ type: 'watch', resourceVersion: '77', sendInitialEvents: true });
    const expired = run(warm(), { type: 'event', event: { type: 'ERROR', object: expiredStatus() }, now: 0 });
    expect(types(expired.effects)).toEqual(['closeWatch', 'watch']);
    expect(expired.effects.at(-1)).toEqual({ type: 'watch', resourceVersion: '', sendInitialEvents: true });
    const rejected = run(warm(), { type: 'watchStartFailed', error: statusError(400, 'BadRequest'), now: 0 });
    expect(types(rejected.effects)).toEqual(['warn', 'list']);
    expect(rejected.state.memory.watchListRejected).toBe(true);
    // After a rejection, later rounds use the classic list at once.
    const later = run(
      rejected.state,
      { type: 'listFailed', error: new Error('x') },
      { type: 'backoffElapsed' },
    );
    expect(types(later.effects).at(-1)).toBe('list');
    // A stream that closes before the bookmark falls back to a list within the round.
    const closed = run(warm(), { type: 'watchOpened', now: 0 }, { type: 'watchEnded', now: 5 });
    expect(types(closed.effects)).toEqual(['warn', 'list']);
    expect(closed.state.memory.watchListRejected).toBe(false);
  });
});
