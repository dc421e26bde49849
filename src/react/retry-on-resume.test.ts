import { describe, expect, it } from 'vitest';
import { retryOnResume } from './retry-on-resume.ts';

function fakeSignals() {
  const doc = new EventTarget() as EventTarget & { visibilityState: DocumentVisibilityState };
  doc.visibilityState = 'hidden';
  const win = new EventTarget();
  return {
    signals: {
      document: doc as unknown as Document,
      window: win as unknown as Window,
    },
    doc,
    win,
  };
}

describe('retryOnResume', () => {
  it('BR-06: retries when the tab becomes visible and when the network comes back, not when hidden', () => {
    const { signals, doc, win } = fakeSignals();
    let retries = 0;
    const off = retryOnResume(signals, () => retries++);
    doc.dispatchEvent(new Event('visibilitychange')); // still hidden
    expect(retries).toBe(0);
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(retries).toBe(1);
    win.dispatchEvent(new Event('online'));
    expect(retries).toBe(2);
    win.dispatchEvent(new Event('offline'));
    expect(retries).toBe(2);
    off();
    doc.dispatchEvent(new Event('visibilitychange'));
    win.dispatchEvent(new Event('online'));
    expect(retries).toBe(2);
  });
});
