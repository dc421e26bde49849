// Panel and overlay state of the shell. UI state only; never cluster data.

import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export interface UiState {
  paletteOpen: boolean;
  deltaLogOpen: boolean;
  setPaletteOpen(open: boolean): void;
  toggleDeltaLog(): void;
}

export const uiStore = createStore<UiState>()((set) => ({
  paletteOpen: false,
  deltaLogOpen: true,
  setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
  toggleDeltaLog: () => set((s) => ({ deltaLogOpen: !s.deltaLogOpen })),
}));

export function useUi<T>(selector: (s: UiState) => T): T {
  return useStore(uiStore, selector);
}
