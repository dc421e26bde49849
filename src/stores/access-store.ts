// Which resources the user was denied (403 on list) in this session, so the resource tree can mark
// them without probing. UI state only: a set of ids, never the informer's data. Entries are added
// by the views that saw the 403 and cleared when a retry succeeds.

import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

interface AccessState {
  /** `${context}|${group}/${version}/${resource}` */
  denied: ReadonlySet<string>;
  setDenied(id: string, denied: boolean): void;
}

export const accessStore = createStore<AccessState>()((set, get) => ({
  denied: new Set(),
  setDenied(id, denied) {
    const has = get().denied.has(id);
    if (has === denied) return; // no-op updates do not notify
    const next = new Set(get().denied);
    if (denied) next.add(id);
    else next.delete(id);
    set({ denied: next });
  },
}));

export function accessId(context: string, gvr: { group: string; version: string; resource: string }): string {
  return `${context}|${gvr.group}/${gvr.version}/${gvr.resource}`;
}

export function useDenied(): ReadonlySet<string> {
  return useStore(accessStore, (s) => s.denied);
}
