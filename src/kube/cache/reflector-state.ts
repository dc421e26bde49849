// The Reflector's lifecycle as an explicit state machine (style habit 5, after kube-rs watcher.rs).
// step(state, input) is pure apart from one documented exception (the StreamingInitial buffer, see
// below): it decides what to do next and returns it as effects; the async driver in reflector.ts
// performs the effects (requests, store writes, sleeps) and feeds their outcomes back as inputs.
// Every rule of R-05..R-33 that is a decision lives here and is tested without a network.
import type { KubeObject, WatchEvent } from '../api/types.ts';
import {
  isBadRequest,
  isConnectionError,
  isExpiredOrGone,
  isForbidden,
  isInternalError,
  isInvalid,
  isTooLargeResourceVersion,
  isTooManyRequests,
  StatusError,
} from '../rest/status-error.ts';
import type { KeyFunc } from './store.ts';

/** the pager's default page size (client-go tools/pager, PG-01). */
export const DEFAULT_PAGE_SIZE = 500;
/** a watch that closes sooner than this with no events is "very short". */
export const SHORT_WATCH_MS = 1000;
/** an internal-error streak resets when errors are at least this far apart. */
export const INTERNAL_ERROR_STREAK_RESET_MS = 60_000;
/** the annotation that marks the end of a streaming list's initial events (WS-08). */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

export interface ReflectorConfig {
  /** try a streaming list (sendInitialEvents) before the classic list. */
  useWatchList: boolean;
  /** an explicit page size; undefined lets R-06 choose. */
  pageSize: number | undefined;
  /** when set, objects of another kind (and Tables) are skipped. */
  expectedKind: string | undefined;
  /** keys of the temporary store during a streaming list. */
  keyFunc: KeyFunc;
  /** 0 turns the internal-error retry off. */
  maxInternalErrorRetryDurationMs: number;
}

/** What survives across rounds. */
export interface ReflectorMemory {
  /** "" until the first list or initial-events-end bookmark (or a warm start). */
  readonly lastSyncRV: string;
  /** set after an expiry or RV-too-large on list; the next list is a quorum read. */
  readonly rvUnavailable: boolean;
  /** an RV="0" list came back in several pages, so keep paging. */
  readonly paginatedResult: boolean;
  /** The server rejected sendInitialEvents as a bad request: use the classic list from now on. */
  readonly watchListRejected: boolean;
  /** the current streak of watch 500s. */
  readonly internalErrors: { readonly first: number; readonly last: number } | undefined;
  /** True once a live list or initial-events-end bookmark was applied to the store. */
  readonly synced: boolean;
}

export type ReflectorPhase<T extends KubeObject> =
  /** Not started; `start` begins the first round. */
  | { readonly kind: 'Idle' }
  /** A (paged) list at resourceVersion is in flight; quorumRetry marks the R-08 second try. */
  | { readonly kind: 'Listing'; readonly resourceVersion: string; readonly quorumRetry: boolean }
  /**
   * A sendInitialEvents watch is opening or open. `initial` collects the initial state.
   * Ownership exception to purity: step adds to this Map in place (copying it per event would be
   * quadratic), so a StreamingInitial state must not be reused after it was stepped.
   */
  | {
      readonly kind: 'StreamingInitial';
      readonly resourceVersion: string;
      readonly startedAt: number;
      readonly events: number;
      readonly initial: Map<string, T>;
    }
  /** A plain watch from resourceVersion is being opened. */
  | { readonly kind: 'WatchStarting'; readonly resourceVersion: string }
  /**
   * A watch is open and its events go to the store. awaitingNonAdded: it started at "" or
   * "0", so synthetic ADDED events do not move lastSyncRV yet.
   */
  | {
      readonly kind: 'Watching';
      readonly startedAt: number;
      readonly events: number;
      readonly awaitingNonAdded: boolean;
    }
  /** Waiting one backoff delay, then a new round, a new watch, or a new streaming list. */
  | { readonly kind: 'Backoff'; readonly resume: 'round' | 'watch' | 'stream'; readonly cause: unknown }
  /** Stopped for good; every input is ignored. */
  | { readonly kind: 'Stopped' };

export interface ReflectorState<T extends KubeObject = KubeObject> {
  readonly phase: ReflectorPhase<T>;
  readonly memory: ReflectorMemory;
  readonly config: ReflectorConfig;
}

export type ReflectorInput<T extends KubeObject = KubeObject> =
  | { type: 'start' }
  | { type: 'listSucceeded'; items: T[]; resourceVersion: string; paginated: boolean }
  | { type: 'listFailed'; error: unknown }
  | { type: 'watchOpened'; now: number }
  | { type: 'watchStartFailed'; error: unknown; now: number }
  | { type: 'event'; event: WatchEvent<T>; now: number }
  /** The watch ended: cleanly (no error) or with a transport error. */
  | { type: 'watchEnded'; now: number; error?: unknown }
  | { type: 'backoffElapsed' }
  /** The store rejected a replace (a transform or index function threw): the sync did not happen. */
  | { type: 'replaceFailed'; error: unknown }
  | { type: 'stop' };

export type ReflectorEffect<T extends KubeObject = KubeObject> =
  /** List everything at resourceVersion; pageSize 0 means unpaged. */
  | { type: 'list'; resourceVersion: string; pageSize: number }
  /** Open a watch (R-11, or R-30 when sendInitialEvents). */
  | { type: 'watch'; resourceVersion: string; sendInitialEvents: boolean }
  /** Stop the open watch: no further events of it may be fed in. */
  | { type: 'closeWatch' }
  | { type: 'replace'; items: T[]; resourceVersion: string }
  | { type: 'add'; object: T }
  | { type: 'update'; object: T }
  | { type: 'delete'; object: T }
  | { type: 'bookmark'; resourceVersion: string }
  /** Sleep one backoff delay, then feed backoffElapsed. */
  | { type: 'backoff'; cause: unknown }
  /** the round ended with this error; hand it to the watch-error handler. */
  | { type: 'reportError'; error: unknown }
  | { type: 'warn'; message: string; error?: unknown };

export interface Transition<T extends KubeObject = KubeObject> {
  next: ReflectorState<T>;
  effects: ReflectorEffect<T>[];
}

export function initialReflectorState<T extends KubeObject>(
  config: ReflectorConfig,
  lastSyncRV = '',
): ReflectorState<T> {
  return {
    phase: { kind: 'Idle' },
    config,
    memory: {
      lastSyncRV,
      rvUnavailable: false,
      paginatedResult: false,
      watchListRejected: false,
      internalErrors: undefined,
      synced: false,
    },
  };
}

/** the RV the next list uses. */
export function relistResourceVersion(memory: ReflectorMemory): string {
  if (memory.rvUnavailable) return '';
  return memory.lastSyncRV === '' ? '0' : memory.lastSyncRV;
}

/** the page size for a list at resourceVersion. */
export function listPageSize(
  config: ReflectorConfig,
  memory: ReflectorMemory,
  resourceVersion: string,
): number {
  if (config.pageSize !== undefined && config.pageSize > 0) return config.pageSize;
  if (memory.paginatedResult) return DEFAULT_PAGE_SIZE;
  if (resourceVersion !== '' && resourceVersion !== '0') return 0;
  return DEFAULT_PAGE_SIZE;
}

/** errors after which we wait and retry the same call, without a relist. */
export function isRetriableWatchError(error: unknown): boolean {
  return isConnectionError(error) || isTooManyRequests(error);
}

export function step<T extends KubeObject>(
  state: ReflectorState<T>,
  input: ReflectorInput<T>,
): Transition<T> {
  const { phase } = state;
  if (phase.kind === 'Stopped') return { next: state, effects: [] };
  if (input.type === 'replaceFailed') {
    // The store does not hold the listed state, so carrying on would leave it silently stale:
    // end the round (closing a streaming list's stream) and relist after the backoff.
    const open = phase.kind === 'Watching' || phase.kind === 'StreamingInitial';
    return endRound(state, input.error, {}, open ? [{ type: 'closeWatch' }] : []);
  }
  if (input.type === 'stop') {
    const watching =
      phase.kind === 'Watching' || phase.kind === 'StreamingInitial' || phase.kind === 'WatchStarting';
    return {
      next: { ...state, phase: { kind: 'Stopped' } },
      effects: watching ? [{ type: 'closeWatch' }] : [],
    };
  }
  switch (phase.kind) {
    case 'Idle':
      return input.type === 'start' ? beginRound(state) : ignored(state, input);
    case 'Backoff':
      if (input.type !== 'backoffElapsed') return ignored(state, input);
      if (phase.resume === 'round') return beginRound(state);
      if (phase.resume === 'stream') return beginStreaming(state);
      return startWatch(state);
    case 'Listing':
      return stepListing(state, phase, input);
    case 'StreamingInitial':
      return stepStreaming(state, phase, input);
    case 'WatchStarting':
      return stepWatchStarting(state, phase, input);
    case 'Watching':
      return stepWatching(state, phase, input);
  }
}

function ignored<T extends KubeObject>(state: ReflectorState<T>, input: ReflectorInput<T>): Transition<T> {
  return {
    next: state,
    effects: [
      { type: 'warn', message: `reflector: input ${input.type} ignored in phase ${state.phase.kind}` },
    ],
  };
}

function withPhase<T extends KubeObject>(
  state: ReflectorState<T>,
  phase: ReflectorPhase<T>,
  memory: Partial<ReflectorMemory> = {},
): ReflectorState<T> {
  return { config: state.config, phase, memory: { ...state.memory, ...memory } };
}

/** a round starts with a streaming list when enabled, else the classic list. */
function beginRound<T extends KubeObject>(state: ReflectorState<T>): Transition<T> {
  if (state.config.useWatchList && !state.memory.watchListRejected) return beginStreaming(state);
  return beginList(state);
}

function beginList<T extends KubeObject>(
  state: ReflectorState<T>,
  memory: Partial<ReflectorMemory> = {},
): Transition<T> {
  const next = withPhase(state, { kind: 'Idle' }, memory);
  const resourceVersion = relistResourceVersion(next.memory);
  return {
    next: withPhase(next, { kind: 'Listing', resourceVersion, quorumRetry: false }),
    effects: [
      { type: 'list', resourceVersion, pageSize: listPageSize(state.config, next.memory, resourceVersion) },
    ],
  };
}

/** "" on the first sync or after the RV was marked unavailable, else lastSyncRV. */
function beginStreaming<T extends KubeObject>(state: ReflectorState<T>): Transition<T> {
  const { memory } = state;
  const resourceVersion = memory.rvUnavailable ? '' : memory.lastSyncRV;
  return {
    next: withPhase(state, {
      kind: 'StreamingInitial',
      resourceVersion,
      startedAt: 0,
      events: 0,
      initial: new Map(),
    }),
    effects: [{ type: 'watch', resourceVersion, sendInitialEvents: true }],
  };
}

/** */
function startWatch<T extends KubeObject>(state: ReflectorState<T>): Transition<T> {
  const resourceVersion = state.memory.lastSyncRV;
  return {
    next: withPhase(state, { kind: 'WatchStarting', resourceVersion }),
    effects: [{ type: 'watch', resourceVersion, sendInitialEvents: false }],
  };
}

/** the round ends with error; report it, back off, then relist. */
function endRound<T extends KubeObject>(
  state: ReflectorState<T>,
  error: unknown,
  memory: Partial<ReflectorMemory> = {},
  extra: ReflectorEffect<T>[] = [],
): Transition<T> {
  return {
    next: withPhase(state, { kind: 'Backoff', resume: 'round', cause: error }, memory),
    effects: [...extra, { type: 'reportError', error }, { type: 'backoff', cause: error }],
  };
}

function stepListing<T extends KubeObject>(
  state: ReflectorState<T>,
  phase: Extract<ReflectorPhase<T>, { kind: 'Listing' }>,
  input: ReflectorInput<T>,
): Transition<T> {
  if (input.type === 'listSucceeded') {
    // only an RV="0" list that came back in several pages counts.
    const paginatedResult =
      state.memory.paginatedResult || (phase.resourceVersion === '0' && input.paginated);
    const synced = withPhase(
      state,
      { kind: 'Idle' },
      {
        lastSyncRV: input.resourceVersion,
        rvUnavailable: false,
        paginatedResult,
        synced: true,
      },
    );
    const watch = startWatch(synced);
    // replace first, then the watch from the list's RV.
    return {
      next: watch.next,
      effects: [
        { type: 'replace', items: input.items, resourceVersion: input.resourceVersion },
        ...watch.effects,
      ],
    };
  }
  if (input.type === 'listFailed') {
    const { error } = input;
    // expired or RV too large: mark unavailable and retry at once with a quorum read,
    // once per round.
    if (
      (isExpiredOrGone(error) || isTooLargeResourceVersion(error)) &&
      !phase.quorumRetry &&
      phase.resourceVersion !== ''
    ) {
      const next = withPhase(
        state,
        { kind: 'Listing', resourceVersion: '', quorumRetry: true },
        { rvUnavailable: true },
      );
      return {
        next,
        effects: [
          { type: 'list', resourceVersion: '', pageSize: listPageSize(state.config, next.memory, '') },
        ],
      };
    }
    const memory = isExpiredOrGone(error) || isTooLargeResourceVersion(error) ? { rvUnavailable: true } : {};
    return endRound(state, new ReflectorError('list', error), memory);
  }
  return ignored(state, input);
}

function stepStreaming<T extends KubeObject>(
  state: ReflectorState<T>,
  phase: Extract<ReflectorPhase<T>, { kind: 'StreamingInitial' }>,
  input: ReflectorInput<T>,
): Transition<T> {
  switch (input.type) {
    case 'watchOpened':
      return { next: withPhase(state, { ...phase, startedAt: input.now }), effects: [] };
    case 'watchStartFailed':
      return streamingFailed(state, phase, input.error, []);
    case 'watchEnded':
      // Closed before the initial-events-end bookmark: the initial state is incomplete.
      return streamingFailed(
        state,
        phase,
        input.error ?? new Error('watch closed before the initial-events-end bookmark'),
        [],
      );
    case 'event':
      break;
    default:
      return ignored(state, input);
  }
  const { event } = input;
  if (event.type === 'ERROR') {
    return streamingFailed(state, phase, new StatusError(event.object), [{ type: 'closeWatch' }]);
  }
  const object = event.object;
  const skip = skipReason(state.config, event);
  if (skip !== undefined) return { next: state, effects: [{ type: 'warn', message: skip }] };
  const events = phase.events + 1;
  if (event.type === 'BOOKMARK') {
    const rv = object.metadata?.resourceVersion ?? '';
    if (object.metadata?.annotations?.[INITIAL_EVENTS_END_ANNOTATION] !== 'true') {
      return { next: withPhase(state, { ...phase, events }), effects: [] };
    }
    // the initial state is complete: replace, and keep the same stream for the watch phase.
    const items = Array.from(phase.initial.values());
    return {
      next: withPhase(
        state,
        { kind: 'Watching', startedAt: phase.startedAt, events, awaitingNonAdded: false },
        { lastSyncRV: rv, rvUnavailable: false, synced: true },
      ),
      effects: [{ type: 'replace', items, resourceVersion: rv }],
    };
  }
  let key: string;
  try {
    key = state.config.keyFunc(object);
  } catch (error) {
    return {
      next: state,
      effects: [{ type: 'warn', message: 'reflector: skipping an object without a key', error }],
    };
  }
  // The temporary store takes every change until the bookmark; see the ownership note.
  if (event.type === 'DELETED') phase.initial.delete(key);
  else phase.initial.set(key, object);
  return { next: withPhase(state, { ...phase, events }), effects: [] };
}

/** */
function streamingFailed<T extends KubeObject>(
  state: ReflectorState<T>,
  phase: Extract<ReflectorPhase<T>, { kind: 'StreamingInitial' }>,
  error: unknown,
  effects: ReflectorEffect<T>[],
): Transition<T> {
  if (isRetriableWatchError(error)) {
    return {
      next: withPhase(state, { kind: 'Backoff', resume: 'stream', cause: error }),
      effects: [...effects, { type: 'backoff', cause: error }],
    };
  }
  if ((isExpiredOrGone(error) || isTooLargeResourceVersion(error)) && phase.resourceVersion !== '') {
    const retry = beginStreaming(withPhase(state, phase, { rvUnavailable: true }));
    return { next: retry.next, effects: [...effects, ...retry.effects] };
  }
  // A server that cannot stream lists rejects the parameters: stop asking (a documented choice;
  // upstream retries the streaming list every round).
  const rejected = isBadRequest(error) || isInvalid(error) || isForbidden(error);
  const fallback = beginList(state, rejected ? { watchListRejected: true } : {});
  return {
    next: fallback.next,
    effects: [
      ...effects,
      {
        type: 'warn',
        message: 'reflector: the streaming list failed; falling back to a classic list',
        error,
      },
      ...fallback.effects,
    ],
  };
}

function stepWatchStarting<T extends KubeObject>(
  state: ReflectorState<T>,
  phase: Extract<ReflectorPhase<T>, { kind: 'WatchStarting' }>,
  input: ReflectorInput<T>,
): Transition<T> {
  if (input.type === 'watchOpened') {
    const rv = phase.resourceVersion;
    return {
      next: withPhase(state, {
        kind: 'Watching',
        startedAt: input.now,
        events: 0,
        awaitingNonAdded: rv === '' || rv === '0',
      }),
      effects: [],
    };
  }
  if (input.type === 'watchStartFailed') {
    // refused or 429: wait and watch again, no relist. Anything else ends the round.
    if (isRetriableWatchError(input.error)) {
      return {
        next: withPhase(state, { kind: 'Backoff', resume: 'watch', cause: input.error }),
        effects: [{ type: 'backoff', cause: input.error }],
      };
    }
    return endRound(state, input.error);
  }
  return ignored(state, input);
}

function stepWatching<T extends KubeObject>(
  state: ReflectorState<T>,
  phase: Extract<ReflectorPhase<T>, { kind: 'Watching' }>,
  input: ReflectorInput<T>,
): Transition<T> {
  if (input.type === 'watchEnded') {
    if (input.error !== undefined) return watchFailed(state, input.error, input.now, []);
    // under 1 s with nothing received is the very short watch error.
    if (input.now - phase.startedAt < SHORT_WATCH_MS && phase.events === 0) {
      return endRound(state, new ReflectorError('shortWatch', undefined));
    }
    // the usual server timeout: watch again from lastSyncRV at once.
    return startWatch(state);
  }
  if (input.type !== 'event') return ignored(state, input);
  const { event } = input;
  if (event.type === 'ERROR') {
    // the Status becomes the watch's error.
    return watchFailed(state, new StatusError(event.object), input.now, [{ type: 'closeWatch' }]);
  }
  const skip = skipReason(state.config, event);
  if (skip !== undefined) return { next: state, effects: [{ type: 'warn', message: skip }] };
  const object = event.object;
  const rv = object.metadata?.resourceVersion;
  let effect: ReflectorEffect<T>;
  switch (event.type) {
    case 'ADDED':
      effect = { type: 'add', object };
      break;
    case 'MODIFIED':
      effect = { type: 'update', object };
      break;
    case 'DELETED':
      effect = { type: 'delete', object };
      break;
    case 'BOOKMARK':
      effect = { type: 'bookmark', resourceVersion: rv ?? '' };
      break;
  }
  // synthetic initial ADDED events of an RV ""/"0" watch are not in RV order.
  const awaitingNonAdded = phase.awaitingNonAdded && event.type === 'ADDED';
  const moveRV = !awaitingNonAdded && rv !== undefined && rv !== '';
  return {
    next: withPhase(
      state,
      { kind: 'Watching', startedAt: phase.startedAt, events: phase.events + 1, awaitingNonAdded },
      moveRV ? { lastSyncRV: rv } : {},
    ),
    effects: [effect],
  };
}

/** how a watch that ended with an error continues. */
function watchFailed<T extends KubeObject>(
  state: ReflectorState<T>,
  error: unknown,
  now: number,
  effects: ReflectorEffect<T>[],
): Transition<T> {
  if (isTooManyRequests(error)) {
    return {
      next: withPhase(state, { kind: 'Backoff', resume: 'watch', cause: error }),
      effects: [...effects, { type: 'backoff', cause: error }],
    };
  }
  if (isInternalError(error) && state.config.maxInternalErrorRetryDurationMs > 0) {
    const prev = state.memory.internalErrors;
    const streak =
      prev === undefined || now - prev.last >= INTERNAL_ERROR_STREAK_RESET_MS
        ? { first: now, last: now }
        : { first: prev.first, last: now };
    if (now - streak.first < state.config.maxInternalErrorRetryDurationMs) {
      const again = startWatch(withPhase(state, state.phase, { internalErrors: streak }));
      return { next: again.next, effects: [...effects, ...again.effects] };
    }
    return endRound(state, error, { internalErrors: streak }, effects);
  }
  // expired (a 410 ERROR event) ends the round WITHOUT marking the RV unavailable, so the
  // relist asks for lastSyncRV first. Anything else also ends the round.
  return endRound(state, error, {}, effects);
}

/** why an event's object must be skipped, or undefined to apply it. */
function skipReason<T extends KubeObject>(config: ReflectorConfig, event: WatchEvent<T>): string | undefined {
  const object: unknown = event.object;
  if (typeof object !== 'object' || object === null)
    return `reflector: skipping a ${event.type} event without an object`;
  const kind = (object as KubeObject).kind;
  if (kind === 'Table') return 'reflector: skipping a Table object in a watch stream';
  if (config.expectedKind !== undefined && kind !== undefined && kind !== config.expectedKind) {
    return `reflector: skipping a ${kind} object; expected ${config.expectedKind}`;
  }
  if (event.type !== 'BOOKMARK' && !(object as KubeObject).metadata?.name) {
    return `reflector: skipping a ${event.type} event whose object has no metadata.name`;
  }
  return undefined;
}

/** A round-ending failure of the reflector itself, wrapping the cause when there is one. */
export class ReflectorError extends Error {
  override readonly name = 'ReflectorError';
  constructor(
    readonly stage: 'list' | 'shortWatch',
    cause: unknown,
  ) {
    super(
      stage === 'list'
        ? `failed to list: ${cause instanceof Error ? cause.message : String(cause)}`
        : 'very short watch: unexpected watch close - watch lasted less than a second and no items received',
      cause === undefined ? undefined : { cause },
    );
  }
}
