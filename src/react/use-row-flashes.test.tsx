import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ChangeBatch, LiveSnapshot, LiveSource, SyncStatus } from './live-source.ts';
import { useRowFlashes } from './use-row-flashes.ts';

/** A LiveSource whose snapshot and batches the test sets by hand. */
function fakeSource(status: Partial<SyncStatus>, count: number) {
  let listener: ((b: ChangeBatch) => void) | undefined;
  const snapshot: LiveSnapshot = {
    version: 1,
    status: {
      phase: 'listing',
      lastSyncRV: '',
      lastError: null,
      retryAt: null,
      fromCache: false,
      ...status,
    },
    columns: [],
    count,
    rows: [],
  };
  const unused = () => {
    throw new Error('not used by useRowFlashes');
  };
  const source: LiveSource = {
    id: 'pods',
    getSnapshot: () => snapshot,
    get: unused,
    childrenOf: unused,
    subscribe: (fn) => {
      listener = fn;
      return () => {
        listener = undefined;
      };
    },
    tap: unused,
    retry: unused,
    lastWatchActivity: () => undefined,
  };
  const emit = (b: Partial<ChangeBatch>) =>
    act(() => listener?.({ added: [], modified: [], deleted: new Map(), replaced: false, ...b }));
  return { source, emit };
}

describe('useRowFlashes', () => {
  it('does not flash the first list, even when its RV was published before its rows', () => {
    // The race a loaded machine hit: lastSyncRV already set, phase still listing, no rows yet.
    const { source, emit } = fakeSource({ lastSyncRV: '41' }, 0);
    const { result } = renderHook(() => useRowFlashes([source]));
    emit({ added: ['default/api-1', 'default/api-2'], replaced: true });
    expect(result.current.flashes.size).toBe(0);
    emit({ added: ['default/api-3'] });
    expect([...result.current.flashes]).toEqual([['default/api-3', 'added']]);
  });

  it('flashes the difference of a later relist once the first list was delivered', () => {
    const { source, emit } = fakeSource({ phase: 'synced', lastSyncRV: '41' }, 2);
    const { result } = renderHook(() => useRowFlashes([source]));
    emit({ added: ['default/api-3'], modified: ['default/api-1'], replaced: true });
    expect(Object.fromEntries(result.current.flashes)).toEqual({
      'default/api-3': 'added',
      'default/api-1': 'modified',
    });
  });

  it('does not flash a warm-start copy replaced by the live list', () => {
    const { source, emit } = fakeSource({ lastSyncRV: '41', fromCache: true }, 2);
    const { result } = renderHook(() => useRowFlashes([source]));
    emit({ added: ['default/api-3'], replaced: true });
    expect(result.current.flashes.size).toBe(0);
  });
});
