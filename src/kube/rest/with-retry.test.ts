import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { driveFakeClock } from './drive-fake-clock.ts';
import { withRetry } from './with-retry.ts';

function respond(status: number, headers: Record<string, string> = {}): Response {
  return new Response(`status ${status}`, { status, headers });
}

describe('withRetry (RC-04..07)', () => {
  it('RC-04: retries 429 and 5xx with an integer Retry-After, waiting that long', async () => {
    const clock = new FakeClock();
    const answers = [
      respond(429, { 'Retry-After': '2' }),
      respond(503, { 'Retry-After': '1' }),
      respond(200),
    ];
    const times: number[] = [];
    const res = await driveFakeClock(
      clock,
      withRetry(
        async () => {
          times.push(clock.now());
          return answers.shift()!;
        },
        { maxRetries: 10, clock, retryConnectionErrors: true },
      ),
    );
    expect(res.status).toBe(200);
    expect(times.map((t) => t - times[0]!)).toEqual([0, 2000, 3000]);
  });

  it('RC-04 / TE-09: no retry without Retry-After, with an HTTP-date, or for 4xx other than 429', async () => {
    const clock = new FakeClock();
    for (const r of [
      respond(500),
      respond(503, { 'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT' }),
      respond(404, { 'Retry-After': '1' }),
    ]) {
      let calls = 0;
      const res = await withRetry(
        async () => {
          calls++;
          return r;
        },
        { maxRetries: 10, clock, retryConnectionErrors: true },
      );
      expect(res.status).toBe(r.status);
      expect(calls).toBe(1);
    }
  });

  it('RC-04 / RC-07: stops after maxRetries and returns the last real response', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const res = await driveFakeClock(
      clock,
      withRetry(
        async () => {
          calls++;
          return new Response(`try ${calls}`, { status: 500, headers: { 'Retry-After': '1' } });
        },
        { maxRetries: 3, clock, retryConnectionErrors: true },
      ),
    );
    expect(calls).toBe(4);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('try 4');
  });

  it('RC-05: a GET connection error is retried after 1 s; the last TypeError is thrown', async () => {
    const clock = new FakeClock();
    const times: number[] = [];
    const p = withRetry(
      async () => {
        times.push(clock.now());
        throw new TypeError(`fetch failed ${times.length}`);
      },
      { maxRetries: 2, clock, retryConnectionErrors: true },
    );
    await expect(driveFakeClock(clock, p)).rejects.toThrow('fetch failed 3');
    expect(times.map((t) => t - times[0]!)).toEqual([0, 1000, 2000]);
  });

  it('RC-05: non-GET verbs are never retried on connection errors', async () => {
    const clock = new FakeClock();
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new TypeError('reset');
        },
        { maxRetries: 10, clock, retryConnectionErrors: false },
      ),
    ).rejects.toThrow('reset');
    expect(calls).toBe(1);
  });

  it('RC-04: each attempt waits for the rate limiter; an abort ends the wait', async () => {
    const clock = new FakeClock();
    let limiterCalls = 0;
    const ac = new AbortController();
    const p = withRetry(async () => respond(503, { 'Retry-After': '5' }), {
      maxRetries: 10,
      clock,
      retryConnectionErrors: true,
      signal: ac.signal,
      beforeAttempt: async () => {
        limiterCalls++;
      },
    });
    await new Promise((r) => setTimeout(r, 0));
    await clock.advance(5000);
    await new Promise((r) => setTimeout(r, 0));
    ac.abort(new DOMException('stop', 'AbortError'));
    await expect(p).rejects.toThrow('stop');
    expect(limiterCalls).toBe(2);
  });
});
