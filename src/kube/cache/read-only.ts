// Objects in an informer cache are shared by every reader (IX-10): one mutation through one view
// silently corrupts the indexes and every other view. Development builds deep-freeze what goes into
// the store so such a mutation throws at the culprit; production never pays for it (a full walk of
// each object would sit on the hot path of every watch event).

/**
 * Whether stores freeze by default: true only in a Vite development build (or a Vitest run, which
 * reports DEV). Callers can always override per store with the `freeze` option.
 */
export const FREEZE_BY_DEFAULT: boolean = readDevFlag();

function readDevFlag(): boolean {
  // import.meta.env exists under Vite and Vitest; in plain Node it is undefined.
  const env = (import.meta as { env?: { DEV?: unknown } }).env;
  return env?.DEV === true;
}

/** Freeze value and everything reachable from it. Already-frozen subtrees are skipped. */
export function deepFreeze<V>(value: V): V {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  // An explicit stack instead of recursion: a 1.5 MB object may nest deeply.
  const stack: object[] = [value];
  while (stack.length > 0) {
    const current = stack.pop()!;
    Object.freeze(current);
    for (const key of Object.keys(current)) {
      const child = (current as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) stack.push(child);
    }
  }
  return value;
}
