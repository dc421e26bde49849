// How late pod updates reach a plain watch client through the proxy: a control measurement for the
// ui benchmark, taken with the browser closed, so the event→DOM figures can be split into
// "transport (sim → proxy → client)" and "the page". Each event's latency is Date.now() on arrival
// minus the commit time the sim stamped in the pod (restart-bump.ts); unstamped events are counted
// but not timed.
import http from 'node:http';
import { COMMITTED_AT_ANNOTATION } from './restart-bump.ts';

export interface WatchDelivery {
  /** Timed events so far. */
  readonly count: number;
  /** True once the server ended the watch (e.g. the simulated apiserver closed a watcher that fell behind). */
  readonly ended: boolean;
  /** Stops the watch; returns one latency (ms) per stamped event, and the count of unstamped ones. */
  stop(): { latencies: number[]; unstamped: number; ended: boolean };
}

function getJson(url: string, headers: http.OutgoingHttpHeaders, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200)
          reject(new Error(`GET ${url} answered ${res.statusCode}: ${body.slice(0, 200)}`));
        else {
          try {
            resolve(JSON.parse(body));
          } catch {
            reject(new Error(`GET ${url} answered invalid JSON`));
          }
        }
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

function committedAt(line: string): number | undefined {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    throw new Error(`the watch sent a line that is not JSON: ${line.slice(0, 120)}`);
  }
  const object = (event as { object?: { metadata?: { annotations?: Record<string, unknown> } } }).object;
  const stamp = object?.metadata?.annotations?.[COMMITTED_AT_ANNOTATION];
  const n = typeof stamp === 'string' ? Number(stamp) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Lists `path` (limit=1) for a resourceVersion, then watches it from there. `base` is the proxy's
 * cluster prefix, e.g. http://127.0.0.1:PORT/clusters/sim-token. Resolves once the watch answered.
 */
export async function startWatchDelivery(opts: {
  base: string;
  path: string;
  token: string;
  timeoutMs: number;
}): Promise<WatchDelivery> {
  const headers = { authorization: `Bearer ${opts.token}`, accept: 'application/json' };
  const list = (await getJson(`${opts.base}${opts.path}?limit=1`, headers, opts.timeoutMs)) as {
    metadata?: { resourceVersion?: unknown };
  };
  const rv = list.metadata?.resourceVersion;
  if (typeof rv !== 'string' || rv === '') throw new Error(`the list of ${opts.path} has no resourceVersion`);
  const latencies: number[] = [];
  let unstamped = 0;
  let ended = false;
  let stopped = false;
  let failure: Error | undefined;
  const req = await new Promise<http.ClientRequest>((resolve, reject) => {
    const r = http.get(
      `${opts.base}${opts.path}?watch=true&resourceVersion=${encodeURIComponent(rv)}`,
      { headers },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`the watch answered ${res.statusCode}`));
          return;
        }
        // Invariant: `tail` holds the bytes after the last newline; every complete line is one event.
        let tail = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const arrived = Date.now();
          const lines = (tail + chunk).split('\n');
          tail = lines.pop() ?? '';
          for (const line of lines) {
            if (line.trim() === '') continue;
            try {
              const at = committedAt(line);
              if (at === undefined) unstamped++;
              else latencies.push(arrived - at);
            } catch (err) {
              failure ??= err instanceof Error ? err : new Error(String(err));
              r.destroy();
            }
          }
        });
        res.on('close', () => {
          if (!stopped) ended = true;
        });
        resolve(r);
      },
    );
    r.setTimeout(opts.timeoutMs, () => r.destroy(new Error('the watch went quiet')));
    r.on('error', (err) => {
      failure ??= err;
      reject(err);
    });
  });
  return {
    get count() {
      return latencies.length;
    },
    get ended() {
      return ended;
    },
    stop() {
      stopped = true;
      req.destroy();
      if (failure && failure.message !== 'socket hang up') throw failure;
      return { latencies, unstamped, ended };
    },
  };
}
