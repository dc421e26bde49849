// Why a view is not synced, in words a user understands: the cause of the reflector's last error
// (the innermost one: the Reflector wraps list failures), mapped from its HTTP status and reason.
// The indicator adds the countdown ("…, retrying in 3s"); this names only the cause.
import {
  isConnectionError,
  isExpiredOrGone,
  isTooLargeResourceVersion,
  StatusError,
} from '../kube/rest/status-error.ts';

/** Follow `cause` links to the innermost error (bounded: a cycle cannot hang the UI). */
export function rootCause(err: unknown): unknown {
  let e = err;
  for (let i = 0; i < 5 && e instanceof Error && e.cause !== undefined; i++) e = e.cause;
  return e;
}

/** A short human reason for `error`, or null when there is none to tell. */
export function syncReason(error: unknown): string | null {
  if (error === undefined || error === null) return null;
  const e = rootCause(error);
  // Checked before the StatusError cases: an expiry may come as Gone or Expired (TE-06).
  if (isExpiredOrGone(e)) return 'resourceVersion expired (410), relisting';
  if (isTooLargeResourceVersion(e)) return 'resourceVersion ahead of the server (reset?), relisting';
  if (e instanceof StatusError) {
    const code = e.code;
    if (code === 429) return 'rate limited (429)';
    // The proxy answers 502/503/504 when it cannot reach the cluster (status-body.ts).
    if (code === 502 || code === 503) return `cluster unreachable (${code})`;
    if (code === 504) return 'cluster timed out (504)';
    if (
      code === 500 &&
      (e.status.message ?? '').startsWith('unable to decode an event from the watch stream')
    )
      return 'malformed watch stream (500), reconnecting';
    if (code >= 500) return `server error (${code}${e.reason ? ` ${e.reason}` : ''})`;
    if (code > 0) return `request failed (${code}${e.reason ? ` ${e.reason}` : ''})`;
  }
  if (isConnectionError(e)) return 'proxy unreachable';
  if (e instanceof Error && e.name === 'ReflectorError' && e.message.startsWith('very short watch'))
    return 'watch closed at once, relisting';
  if (e instanceof Error && e.name === 'WatchStalledError') return 'watch stalled, reconnecting';
  return null;
}
