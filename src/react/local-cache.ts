// A last-known copy of small one-shot reads (the context list, the discovery catalog) in
// localStorage, so a reload can pick its informers and paint from IndexedDB before any network
// answer (BR-08). react-query shows the copy as stale initial data and refetches at once; the copy
// is never trusted beyond that first paint.
const PREFIX = 'kubeglass.query:';

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // privacy modes throw on access
  }
}

export function readLocal<T>(key: string, isValid: (value: unknown) => value is T): T | undefined {
  try {
    const text = storage()?.getItem(PREFIX + key);
    if (!text) return undefined;
    const value: unknown = JSON.parse(text);
    return isValid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function writeLocal(key: string, value: unknown): void {
  try {
    storage()?.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // quota: the copy is an optimisation only
  }
}
