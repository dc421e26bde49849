// Time is injected (style habit 8): the Reflector's backoff, the delaying queue, resync timers and
// the rate limiters read the clock and schedule timers through this interface, so tests step a
// FakeClock instead of sleeping.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin); monotonic enough for intervals. */
  now(): number;
  /** Run fn after ms milliseconds unless cancelled. Timers may fire late (BR-06), never early. */
  setTimer(fn: () => void, ms: number): TimerHandle;
  /** Resolve after ms milliseconds, or reject with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const id = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(id) };
  },
  sleep(ms, signal) {
    return sleepOn(realClock, ms, signal);
  },
};

/** sleep() in terms of setTimer(), shared by every Clock implementation. */
export function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
