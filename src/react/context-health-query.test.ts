import { describe, expect, it } from 'vitest';
import { probeContext } from './context-health-query.ts';
import { ContextProbeQueue } from './context-probe-queue.ts';
import type { FetchLike } from './kube-environment.ts';

/** A fetch that never answers, and rejects with the signal's reason when aborted (as browsers do). */
function silentFetch(calls: string[]): FetchLike {
  return (input, init) => {
    calls.push(String(input));
    return new Promise<Response>((_, reject) => {
      const signal = init?.signal;
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  };
}

const status = (code: number, reason: string, message: string) =>
  new Response(JSON.stringify({ kind: 'Status', status: 'Failure', code, reason, message }), {
    status: code,
  });

describe('probeContext', () => {
  it('reports a cluster that never answers as unreachable once the timeout passes', async () => {
    const calls: string[] = [];
    const health = await probeContext(silentFetch(calls), 'silent', undefined, { timeoutMs: 20 });
    expect(health).toEqual({ state: 'unreachable', message: 'no answer within 20 ms' });
    expect(calls).toEqual(['/clusters/silent/version']);
  });

  it("rethrows the caller's abort instead of reporting a state", async () => {
    const abort = new AbortController();
    const probe = probeContext(silentFetch([]), 'gone', abort.signal, { timeoutMs: 60_000 });
    abort.abort(new Error('unmounted'));
    await expect(probe).rejects.toThrow('unmounted');
  });

  it('classifies 401, 403, 502 and a good answer', async () => {
    const answer =
      (res: () => Response): FetchLike =>
      () =>
        Promise.resolve(res());
    expect(
      await probeContext(
        answer(() => status(401, 'Unauthorized', 'token expired')),
        'a',
      ),
    ).toEqual({
      state: 'expired',
      message: 'token expired',
    });
    expect(
      (
        await probeContext(
          answer(() => status(403, 'Forbidden', 'no')),
          'a',
        )
      ).state,
    ).toBe('forbidden');
    expect(
      await probeContext(
        answer(() => status(502, 'ServiceUnavailable', 'context "a": cannot reach https://x: ECONNREFUSED')),
        'a',
      ),
    ).toEqual({ state: 'unreachable', message: 'context "a": cannot reach https://x: ECONNREFUSED' });
    expect(
      await probeContext(
        answer(() => new Response('{"gitVersion":"v1.31.0"}')),
        'a',
      ),
    ).toEqual({ state: 'connected', version: 'v1.31.0' });
    expect(
      (
        await probeContext(
          answer(() => new Response('<html>')),
          'a',
        )
      ).state,
    ).toBe('unreachable');
  });

  it('starts the timeout only when a queued probe gets its slot', async () => {
    const queue = new ContextProbeQueue(1);
    const calls: string[] = [];
    const first = probeContext(silentFetch(calls), 'one', undefined, { timeoutMs: 30, queue });
    const second = probeContext(silentFetch(calls), 'two', undefined, { timeoutMs: 30, queue });
    expect((await first).state).toBe('unreachable');
    expect(calls).toEqual(['/clusters/one/version', '/clusters/two/version']);
    expect((await second).state).toBe('unreachable');
  });
});
