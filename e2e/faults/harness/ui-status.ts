// What the UI said while a fault lasted: an in-page recorder of every distinct text the views'
// sync indicators (role=status, "sync status") showed, caught by a MutationObserver so even a
// status that lasts one frame is seen. Countdown seconds and resourceVersions are normalised
// ("reconnecting in Ns", "synced at RV n") so a long outage is a handful of texts, not hundreds.
import type { Page } from '@playwright/test';

interface Recorder {
  texts: string[];
  /** Per open view key: the distinct "phase: reason" states it went through (perView only). */
  perView: Record<string, string[]>;
  stop(): void;
}

export interface UiRecorderOptions {
  /**
   * Also poll every open view's own status (window.__kubeglassInspect) every 50 ms, to tell which
   * informers went through which state. Reads every row each time: only for small views.
   */
  perView?: boolean;
}

/** Start (or restart, forgetting earlier texts) recording the sync indicators' texts. */
export async function startUiRecorder(page: Page, opts: UiRecorderOptions = {}): Promise<void> {
  await page.evaluate((perView) => {
    const holder = window as unknown as { __kubeglassE2eUi?: Recorder };
    holder.__kubeglassE2eUi?.stop();
    const seen = new Set<string>();
    const texts: string[] = [];
    const read = () => {
      for (const el of Array.from(document.querySelectorAll('[role="status"][aria-label="sync status"]'))) {
        const text = (el.textContent ?? '')
          .replace(/\s+/g, ' ')
          .replace(/\bin \d+s\b/g, 'in Ns')
          .replace(/\bRV \d+\b/g, 'RV n')
          .replace(/retry now$/, '')
          .trim();
        if (text !== '' && !seen.has(text)) {
          seen.add(text);
          texts.push(text);
        }
      }
    };
    const observer = new MutationObserver(read);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    const states: Record<string, string[]> = {};
    const poll = () => {
      const inspect = (window as unknown as { __kubeglassInspect?: () => unknown }).__kubeglassInspect;
      if (typeof inspect !== 'function') return;
      for (const v of inspect() as { key: string; phase: string; reason: string | null }[]) {
        const state = v.reason ? `${v.phase}: ${v.reason}` : v.phase;
        const seen = states[v.key] ?? [];
        if (!seen.includes(state)) seen.push(state);
        states[v.key] = seen;
      }
    };
    const interval = perView ? setInterval(poll, 50) : undefined;
    const stop = () => {
      observer.disconnect();
      clearInterval(interval);
      clearTimeout(timer);
    };
    // Bounded: a recorder nobody stops ends by itself after ten minutes.
    const timer = setTimeout(stop, 600_000);
    read();
    if (perView) poll();
    holder.__kubeglassE2eUi = { texts, perView: states, stop };
  }, opts.perView === true);
}

/** Per open view key, the distinct "phase: reason" states recorded (startUiRecorder with perView). */
export async function viewStates(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => {
    const r = (window as unknown as { __kubeglassE2eUi?: Recorder }).__kubeglassE2eUi;
    return JSON.parse(JSON.stringify(r?.perView ?? {})) as Record<string, string[]>;
  });
}

/** The distinct texts recorded since startUiRecorder, in the order they first appeared. */
export async function uiSaid(page: Page): Promise<string[]> {
  return page.evaluate(() => [
    ...((window as unknown as { __kubeglassE2eUi?: Recorder }).__kubeglassE2eUi?.texts ?? []),
  ]);
}

/** Wait (bounded) until the UI has said something matching `pattern`; returns everything it said. */
export async function waitUntilUiSays(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const said = await uiSaid(page);
    if (said.some((t) => pattern.test(t))) return said;
    if (Date.now() > deadline)
      throw new Error(
        `the UI never said ${pattern} within ${timeoutMs} ms; it said: ${JSON.stringify(said)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}
