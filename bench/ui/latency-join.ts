// Joins what the simulated cluster committed with what the page showed, into event→DOM latencies.
//
// The sim reports, per focus pod, the commit times of its updates in order; update k (1-based) of a
// pod raises that pod's RESTARTS cell to base + k, where base is the value on screen when the load
// started. The page reports, per focus pod, that base and every (value, time) at which the cell's
// text changed in the DOM. Update k counts as shown at the first observation whose value is ≥ base + k
// and that is not earlier than its commit: the app may coalesce several updates of a row into one
// render, and a later value on screen means the earlier update has been shown too.

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
  /** Observations for pods the sim never reported, or values beyond what was committed. */
  unexpected: number;
}

export function joinLatencies(
  commits: Readonly<Record<string, readonly number[]>>,
  observed: Readonly<Record<string, PodObservations>>,
): JoinResult {
  const latencies: number[] = [];
  let unobserved = 0;
  let unexpected = 0;
  for (const [key, times] of Object.entries(commits)) {
    const pod = observed[key];
    if (!pod) {
      unobserved += times.length;
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
      else unobserved++;
    }
    for (const s of seen) if (s.value > pod.base + times.length) unexpected++;
  }
  for (const key of Object.keys(observed)) {
    if (!(key in commits)) unexpected += observed[key]!.seen.length;
  }
  return { latencies, unobserved, unexpected };
}
