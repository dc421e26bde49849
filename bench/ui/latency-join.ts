// Joins what the simulated cluster committed with what the page showed, into event→DOM latencies.
//
// The sim reports, per focus pod, the commit times of its updates in order; update k (1-based) of a
// pod raises that pod's RESTARTS cell to base + k, where base is the value on screen when the load
// started. The page reports, per focus pod, that base and every (value, time) at which the cell's
// text changed in the DOM. Update k counts as shown at the first observation whose value is ≥ base + k
// and that is not earlier than its commit: the app may coalesce several updates of a row into one
// render, and a later value on screen means the earlier update has been shown too.

/**
 * The p-th percentile of all latencies when some updates were never seen by `endedAt`: those count
 * with endedAt − commit, a lower bound of their latency. `lowerBound` says whether such a value
 * decided the result (then the true percentile is at least `value`).
 */
export function censoredPercentile(
  result: Pick<JoinResult, 'latencies' | 'unobservedCommits'>,
  endedAt: number,
  p: number,
): { value: number; lowerBound: boolean } {
  const all = [
    ...result.latencies.map((v) => ({ v, censored: false })),
    ...result.unobservedCommits.map((t) => ({ v: endedAt - t, censored: true })),
  ].sort((a, b) => a.v - b.v);
  if (all.length === 0) return { value: Number.NaN, lowerBound: false };
  const idx = Math.min(all.length - 1, Math.max(0, Math.ceil((p / 100) * all.length) - 1));
  // Any censored sample at or below the chosen rank could truly be above it, so the rank's value is
  // only a lower bound then; without censored samples up to there the value is exact.
  const lowerBound = all.slice(0, idx + 1).some((s) => s.censored);
  return { value: all[idx]!.v, lowerBound };
}

export interface CellObservation {
  /** The RESTARTS value now in the DOM. */
  value: number;
  /** Date.now() in the page when the mutation was observed. */
  at: number;
}

export interface PodObservations {
  base: number;
  seen: readonly CellObservation[];
}

export interface JoinResult {
  /** One latency (ms) per committed focus update that reached the DOM. */
  latencies: number[];
  /** Committed focus updates never seen in the DOM (or only before their commit: clock trouble). */
  unobserved: number;
  /** The commit times of those updates, for censored statistics. */
  unobservedCommits: number[];
  /** Observations for pods the sim never reported, or values beyond what was committed. */
  unexpected: number;
}

export function joinLatencies(
  commits: Readonly<Record<string, readonly number[]>>,
  observed: Readonly<Record<string, PodObservations>>,
): JoinResult {
  const latencies: number[] = [];
  const unobservedCommits: number[] = [];
  let unexpected = 0;
  for (const [key, times] of Object.entries(commits)) {
    const pod = observed[key];
    if (!pod) {
      unobservedCommits.push(...times);
      continue;
    }
    // Observations in time order; values on screen for a pod only grow when updates only add restarts.
    const seen = [...pod.seen].sort((a, b) => a.at - b.at);
    let j = 0;
    for (let k = 1; k <= times.length; k++) {
      const committedAt = times[k - 1]!;
      const wanted = pod.base + k;
      while (j < seen.length && (seen[j]!.value < wanted || seen[j]!.at < committedAt)) {
        // An observation older than the commit cannot show it; skip it for later updates too,
        // since their commits are no earlier than this one.
        j++;
      }
      const hit = seen[j];
      if (hit) latencies.push(hit.at - committedAt);
      else unobservedCommits.push(committedAt);
    }
    for (const s of seen) if (s.value > pod.base + times.length) unexpected++;
  }
  for (const key of Object.keys(observed)) {
    if (!(key in commits)) unexpected += observed[key]!.seen.length;
  }
  return { latencies, unobserved: unobservedCommits.length, unobservedCommits, unexpected };
}
