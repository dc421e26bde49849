import { describe, expect, it } from 'vitest';
import { PersistenceNotices } from './persistence-notices.ts';

describe('PersistenceNotices', () => {
  it('keeps one notice per kind, in first-reported order, and tells subscribers only of new ones', () => {
    const notices = new PersistenceNotices();
    let calls = 0;
    const off = notices.subscribe(() => calls++);
    const empty = notices.getSnapshot();
    expect(empty).toEqual([]);
    notices.report('unavailable', 'no storage');
    notices.report('unavailable', 'no storage again');
    notices.report('memory-only', 'full');
    expect(notices.getSnapshot()).toEqual([
      { kind: 'unavailable', message: 'no storage' },
      { kind: 'memory-only', message: 'full' },
    ]);
    expect(calls).toBe(2);
    off();
    notices.report('memory-only', 'full again');
    expect(calls).toBe(2);
  });

  it('returns the same snapshot until something new is reported', () => {
    const notices = new PersistenceNotices();
    notices.report('unavailable', 'x');
    const a = notices.getSnapshot();
    notices.report('unavailable', 'y');
    expect(notices.getSnapshot()).toBe(a);
  });
});
