import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { QUIET_MS, SyncIndicator } from './sync-indicator.tsx';

afterEach(() => cleanup());

const NOW = 1_800_000_000_000;
const synced = {
  phase: 'synced' as const,
  resourceVersion: '42',
  fromCache: false,
  lastError: null,
  retryAt: null,
};

describe('SyncIndicator', () => {
  it('says a synced watch may be stalled once it delivered nothing for longer than QUIET_MS', () => {
    render(<SyncIndicator {...synced} now={() => NOW} lastWatchActivity={() => NOW - QUIET_MS - 10_000} />);
    expect(screen.getByRole('status', { name: 'sync status' }).textContent).toBe(
      'synced at RV 42 · no data for 100s, the watch may be stalled',
    );
  });

  it('says only "synced" while the watch delivers (a bookmark counts) or no watch is open', () => {
    const { rerender } = render(
      <SyncIndicator {...synced} now={() => NOW} lastWatchActivity={() => NOW - 30_000} />,
    );
    expect(screen.getByRole('status', { name: 'sync status' }).textContent).toBe('synced at RV 42');
    rerender(<SyncIndicator {...synced} now={() => NOW} lastWatchActivity={() => undefined} />);
    expect(screen.getByRole('status', { name: 'sync status' }).textContent).toBe('synced at RV 42');
  });
});
