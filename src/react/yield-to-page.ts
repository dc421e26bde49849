// Hand the main thread back to the page for a moment: a macrotask boundary, so rendering, input and
// other tasks run before the caller continues. scheduler.yield() (Chromium 129+) resumes the
// caller ahead of other queued work; elsewhere a MessageChannel message is the next-soonest
// macrotask (setTimeout(0) is clamped to ≥ 4 ms once nested, which would throttle a busy watch).
interface YieldingScheduler {
  yield(): Promise<void>;
}

function nativeScheduler(): YieldingScheduler | undefined {
  const s = (globalThis as { scheduler?: Partial<YieldingScheduler> }).scheduler;
  return typeof s?.yield === 'function' ? (s as YieldingScheduler) : undefined;
}

export function yieldToPage(): Promise<void> {
  const scheduler = nativeScheduler();
  if (scheduler) return scheduler.yield();
  return new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}
