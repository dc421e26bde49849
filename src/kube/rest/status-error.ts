// One error type for every failed API call (style habit 7): StatusError carries the server's
// Status (TE-01), or one built from the HTTP code when the body was not a Status (TE-02, TE-03).
// Callers branch on the named predicates below, never on message strings.
import type { Status } from '../api/types.ts';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'ServerTimeout'
  | 'Timeout'
  | 'TooManyRequests'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'RequestEntityTooLarge'
  | 'Unknown'
  | (string & {});

export class StatusError extends Error {
  override readonly name = 'StatusError';
  readonly status: Status;

  constructor(status: Status) {
    super(status.message || status.reason || `request failed with code ${status.code ?? 'unknown'}`);
    this.status = status;
  }

  get code(): number {
    return this.status.code ?? 0;
  }

  get reason(): StatusReason {
    return this.status.reason ?? '';
  }
}

/** TE-03: the reason a code implies when the server sent no Status. */
export function reasonForCode(code: number, verb = 'GET'): StatusReason {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return verb.toUpperCase() === 'POST' ? 'AlreadyExists' : 'Conflict';
    case 410:
      return 'Gone';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'Unknown';
  }
}

/** TE-09: only an integer number of seconds counts; HTTP dates and garbage mean "no header". */
export function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  return Number.parseInt(trimmed, 10);
}

function isStatus(value: unknown): value is Status {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { kind?: unknown }).kind === 'Status' &&
    typeof (value as { status?: unknown }).status === 'string'
  );
}

/**
 * TE-02: turn a non-2xx response into a StatusError. A Status body with status "Failure" is the
 * error as sent; anything else (an HTML page from an intermediary, truncated JSON) becomes a Status
 * built from the code, with up to 2048 bytes of the body in the message.
 */
export function statusErrorFromResponse(
  code: number,
  bodyText: string,
  opts: { verb?: string; retryAfter?: string | null } = {},
): StatusError {
  let parsed: unknown;
  try {
    parsed = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    parsed = undefined;
  }
  const retryAfterSeconds = parseRetryAfter(opts.retryAfter);
  if (isStatus(parsed) && parsed.status === 'Failure') {
    const status: Status = { ...parsed, code: parsed.code ?? code };
    if (retryAfterSeconds !== undefined && status.details?.retryAfterSeconds === undefined) {
      status.details = { ...status.details, retryAfterSeconds };
    }
    return new StatusError(status);
  }
  const reason = reasonForCode(code, opts.verb);
  const snippet = bodyText.slice(0, 2048);
  const message =
    snippet.length > 0
      ? `the server responded with code ${code} (${reason}): ${snippet}`
      : `the server responded with code ${code} (${reason})`;
  return new StatusError({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason,
    message,
    details: {
      causes: [{ reason: 'UnexpectedServerResponse', message: snippet }],
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    },
  });
}

// A StatusCause's type travels as "reason" on the wire (Go: `Type CauseType json:"reason"`).
// TE-05: predicates look at the reason first and fall back to the code only when the reason is
// empty or unknown to this client.
const KNOWN_REASONS = new Set<string>([
  'BadRequest',
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'Gone',
  'Expired',
  'Invalid',
  'ServerTimeout',
  'Timeout',
  'TooManyRequests',
  'MethodNotAllowed',
  'NotAcceptable',
  'UnsupportedMediaType',
  'InternalError',
  'ServiceUnavailable',
  'RequestEntityTooLarge',
]);

function matches(err: unknown, reason: StatusReason, code?: number): boolean {
  if (!(err instanceof StatusError)) return false;
  if (err.reason === reason) return true;
  if (code === undefined) return false;
  return !KNOWN_REASONS.has(err.reason) && err.code === code;
}

export const isBadRequest = (e: unknown) => matches(e, 'BadRequest', 400);
export const isUnauthorized = (e: unknown) => matches(e, 'Unauthorized', 401);
export const isForbidden = (e: unknown) => matches(e, 'Forbidden', 403);
export const isNotFound = (e: unknown) => matches(e, 'NotFound', 404);
export const isAlreadyExists = (e: unknown) => matches(e, 'AlreadyExists');
export const isConflict = (e: unknown) => matches(e, 'Conflict', 409);
export const isGone = (e: unknown) => matches(e, 'Gone', 410);
/** Reason Expired only; no code fallback (TE-05). */
export const isResourceExpired = (e: unknown) => matches(e, 'Expired');
export const isInvalid = (e: unknown) => matches(e, 'Invalid', 422);
export const isTooManyRequests = (e: unknown) => matches(e, 'TooManyRequests', 429);
export const isInternalError = (e: unknown) => matches(e, 'InternalError', 500);
export const isServiceUnavailable = (e: unknown) => matches(e, 'ServiceUnavailable', 503);
export const isTimeout = (e: unknown) => matches(e, 'Timeout', 504);
export const isServerTimeout = (e: unknown) => matches(e, 'ServerTimeout');

/** TE-06: the "expired" test used by list/watch recovery (old servers sent Gone, new ones Expired). */
export function isExpiredOrGone(e: unknown): boolean {
  return isResourceExpired(e) || isGone(e);
}

/** TE-07: the server does not know this resourceVersion yet. */
export function isTooLargeResourceVersion(e: unknown): boolean {
  if (!(e instanceof StatusError)) return false;
  const causes = e.status.details?.causes ?? [];
  if (causes.some((c) => c.reason === 'ResourceVersionTooLarge')) return true;
  if (!isTimeout(e)) return false;
  const needle = 'Too large resource version';
  return (e.status.message ?? '').includes(needle) || causes.some((c) => (c.message ?? '').includes(needle));
}

/** TE-08: seconds the server asked us to wait, if any. */
export function suggestsClientDelay(e: unknown): number | undefined {
  if (!(e instanceof StatusError)) return undefined;
  const seconds = e.status.details?.retryAfterSeconds;
  if (seconds !== undefined && seconds > 0) return seconds;
  if (e.reason === 'ServerTimeout') return seconds ?? 0;
  return undefined;
}

/**
 * BR-05: fetch rejects with TypeError for refused, reset or DNS failures. This is the
 * "connection refused / probable EOF" class that R-12 and RC-05 retry.
 */
export function isConnectionError(e: unknown): boolean {
  return e instanceof TypeError;
}

/** An abort (ours) is never a failure to report (BR-03). */
export function isAbortError(e: unknown): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    ((e as { name?: unknown }).name === 'AbortError' || (e as { name?: unknown }).name === 'TimeoutError')
  );
}
