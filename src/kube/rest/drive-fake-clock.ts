// Test support: run a promise that sleeps on a FakeClock to completion by moving the clock in
// steps, letting real I/O (MSW, sockets) and promise continuations run between steps. Bounded:
// gives up after maxSteps so a wedged test fails instead of hanging. Not used by production code.
import type { FakeClock } from '../clock/fake-clock.ts';

export async function driveFakeClock<T>(
  clock: FakeClock,
  promise: Promise<T>,
  opts: { stepMs?: number; maxSteps?: number } = {},
): Promise<T> {
  const stepMs = opts.stepMs ?? 100;
  const maxSteps = opts.maxSteps ?? 2000;
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  watched.catch(() => {}); // observed below; avoid an unhandled-rejection report meanwhile
  for (let i = 0; i < maxSteps && !settled; i++) {
    await new Promise((r) => setTimeout(r, 0));
    if (settled) break;
    await clock.advance(stepMs);
  }
  if (!settled)
    throw new Error(`driveFakeClock: promise still pending after ${maxSteps} steps of ${stepMs} ms`);
  return watched;
}
