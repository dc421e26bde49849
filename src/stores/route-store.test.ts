import { describe, expect, it } from 'vitest';
import { createRouteStore, type HistoryPort } from './route-store.ts';

function memoryHistory(initial: string): HistoryPort & { entries: string[]; back(): void } {
  const entries = [initial];
  let index = 0;
  const listeners = new Set<() => void>();
  return {
    entries,
    get search() {
      return entries[index]!;
    },
    push(search) {
      entries.splice(index + 1);
      entries.push(search);
      index++;
    },
    replace(search) {
      entries[index] = search;
    },
    onPop(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    back() {
      index--;
      for (const l of listeners) l();
    },
  };
}

describe('route store', () => {
  it('starts from the URL and pushes one entry per navigation', () => {
    const history = memoryHistory('?ctx=a&r=v1%2Fpods');
    const store = createRouteStore(history);
    expect(store.getState().route.gvr).toEqual({ group: '', version: 'v1', resource: 'pods' });
    store.getState().navigate({ selected: { namespace: 'default', name: 'p1' } });
    expect(history.entries).toEqual(['?ctx=a&r=v1%2Fpods', '?ctx=a&r=v1%2Fpods&o=default%2Fp1']);
  });

  it('replace edits the current entry and back restores the previous route', () => {
    const history = memoryHistory('?ctx=a');
    const store = createRouteStore(history);
    store.getState().navigate({ labelSelector: 'app=x' });
    store.getState().navigate({ labelSelector: 'app=xy' }, { replace: true });
    expect(history.entries).toEqual(['?ctx=a', '?ctx=a&l=app%3Dxy']);
    history.back();
    expect(store.getState().route.labelSelector).toBe('');
    store.dispose();
  });
});
