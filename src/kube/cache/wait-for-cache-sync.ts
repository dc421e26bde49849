// SI-09: wait until every check reports synced, polling every 100 ms on the injected clock, or
// until the signal aborts. A Promise instead of a blocking call (BR-01); an abort resolves false
// rather than rejecting, because stopping is not an error (BR-03).
import type { Clock } from '../clock/clock.ts';

export const CACHE_SYNC_POLL_MS = 100;

export async function waitForCacheSync(
  clock: Clock,
  signal: AbortSignal,
  ...checks: (() => boolean)[]
): Promise<boolean> {
  for (;;) {
    if (signal.aborted) return false;
    if (checks.every((check) => check())) return true;
    try {
      await clock.sleep(CACHE_SYNC_POLL_MS, signal);
    } catch {
      return false;
    }
  }
}
