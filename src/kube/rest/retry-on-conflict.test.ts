import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.ts';
import { driveFakeClock } from './drive-fake-clock.ts';
import { backoffDelays, DefaultBackoff, DefaultRetry, retryOnConflict } from './retry-on-conflict.ts';
import { StatusError } from './status-error.ts';

const conflict = () =>
  new StatusError({ status: 'Failure', code: 409, reason: 'Conflict', message: 'stale' });

describe('retryOnConflict (TE-10)', () => {
  it('TE-10: DefaultRetry and DefaultBackoff have client-go values', () => {
    expect(DefaultRetry).toEqual({ steps: 5, durationMs: 10, factor: 1.0, jitter: 0.1 });
    expect(DefaultBackoff).toEqual({ steps: 4, durationMs: 10, factor: 5.0, jitter: 0.1 });
    expect(backoffDelays(DefaultBackoff, () => 0)).toEqual([10, 50, 250]);
    expect(backoffDelays(DefaultRetry, () => 0.5)).toEqual([10.5, 10.5, 10.5, 10.5]);
  });

  it('TE-10: re-runs fn while it fails with Conflict, then returns its value', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const result = await driveFakeClock(
      clock,
      retryOnConflict(
        DefaultRetry,
        async () => {
          calls++;
          if (calls < 3) throw conflict();
          return 'written';
        },
        { clock, random: () => 0 },
      ),
    );
    expect(result).toBe('written');
    expect(calls).toBe(3);
  });

  it('TE-10: gives up after steps attempts with the last Conflict', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const p = retryOnConflict(
      DefaultBackoff,
      async () => {
        calls++;
        throw conflict();
      },
      { clock, random: () => 0 },
    );
    await expect(driveFakeClock(clock, p)).rejects.toBeInstanceOf(StatusError);
    expect(calls).toBe(4);
  });

  it('TE-10: other errors are not retried', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(DefaultRetry, async () => {
        calls++;
        throw new StatusError({ status: 'Failure', code: 404, reason: 'NotFound' });
      }),
    ).rejects.toThrow();
    expect(calls).toBe(1);
  });

  it('rejects nonsense backoffs', () => {
    expect(() => backoffDelays({ steps: 0, durationMs: 1, factor: 1, jitter: 0 })).toThrow(RangeError);
    expect(() => backoffDelays({ steps: 2, durationMs: -1, factor: 1, jitter: 0 })).toThrow(RangeError);
  });
});
