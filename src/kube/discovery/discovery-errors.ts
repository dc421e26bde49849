// Discovery's named errors (DI-05, DI-07, DI-10). Callers branch on the predicates.
import { isAbortError, isConnectionError, StatusError } from '../rest/status-error.ts';

/**
 * DI-07: some group-versions could not be discovered. `partial` holds what was discovered, and
 * callers are expected to use it (a broken aggregated API must not hide the built-in resources).
 */
export class GroupDiscoveryFailedError<T = unknown> extends Error {
  override readonly name = 'GroupDiscoveryFailedError';
  /** group-version ("apps/v1", "v1") → why it failed. */
  readonly groups: ReadonlyMap<string, Error>;
  readonly partial: T;

  constructor(groups: ReadonlyMap<string, Error>, partial: T) {
    const list = [...groups.entries()].map(([gv, e]) => `${gv}: ${e.message}`).join('; ');
    super(`unable to retrieve the complete list of server APIs: ${list}`);
    this.groups = groups;
    this.partial = partial;
  }
}

export function isGroupDiscoveryFailedError(e: unknown): e is GroupDiscoveryFailedError {
  return e instanceof GroupDiscoveryFailedError;
}

/** DI-05: an aggregated API server reported a group-version as Stale. */
export class StaleGroupVersionError extends Error {
  override readonly name = 'StaleGroupVersionError';
  constructor(readonly groupVersion: string) {
    super(`stale GroupVersion discovery: ${groupVersion}`);
  }
}

/** DI-10: the cached group list does not contain the requested group-version. */
export class CacheNotFoundError extends Error {
  override readonly name = 'CacheNotFoundError';
  constructor(readonly groupVersion: string) {
    super(`not found: group-version ${groupVersion} is not served by this cluster`);
  }
}

/**
 * DI-10: a failure worth retrying on the next lookup: cancellation or deadline, connection
 * refused or reset (fetch's TypeError), HTTP >= 500, or 429.
 */
export function isTransientDiscoveryError(e: unknown): boolean {
  if (isAbortError(e) || isConnectionError(e)) return true;
  if (e instanceof StatusError) return e.code >= 500 || e.code === 429;
  return false;
}
