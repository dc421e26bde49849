// Index functions (IX-04): each maps an object to the set of index values it belongs under.
// Zero values means "not in this index". They must be pure and total over well-formed objects;
// a throw is a programming error that the ThreadSafeStore turns into a failed, unapplied update (IX-09).
import type { KubeObject } from '../api/types.ts';

/** Maps an object to zero, one or many index values. */
export type IndexFunc<T extends KubeObject = KubeObject> = (obj: T) => readonly string[];

/** Index name -> index function. */
export type Indexers<T extends KubeObject = KubeObject> = Record<string, IndexFunc<T>>;

export const NAMESPACE_INDEX = 'namespace';
export const LABELS_INDEX = 'labels';
export const OWNER_UID_INDEX = 'ownerUID';
export const NODE_NAME_INDEX = 'nodeName';

const NONE: readonly string[] = Object.freeze([]);

/** IX-10: `[metadata.namespace]`; cluster-scoped objects (no namespace) index under "". */
export function metaNamespaceIndexFunc(obj: KubeObject): readonly string[] {
  return [obj.metadata?.namespace ?? ''];
}

/**
 * One value per label, spelled `key=value`, so `byIndex('labels', 'app=web')` finds every object
 * labelled app=web. A single index serves every label key; equality selectors with several terms
 * intersect the per-term results (see Lister).
 */
export function labelsIndexFunc(obj: KubeObject): readonly string[] {
  const labels = obj.metadata?.labels;
  if (!labels) return NONE;
  const out: string[] = [];
  for (const key in labels) out.push(labelIndexValue(key, labels[key] ?? ''));
  return out;
}

/** The index value labelsIndexFunc produces for one label. */
export function labelIndexValue(key: string, value: string): string {
  return `${key}=${value}`;
}

/** The UIDs of every owner in `metadata.ownerReferences`, so "children of X" is one lookup. */
export function ownerUIDIndexFunc(obj: KubeObject): readonly string[] {
  const refs = obj.metadata?.ownerReferences;
  if (!refs || refs.length === 0) return NONE;
  const out: string[] = [];
  for (const ref of refs) if (typeof ref.uid === 'string' && ref.uid !== '') out.push(ref.uid);
  return out;
}

/** `spec.nodeName` of pods (and anything shaped like one); unscheduled objects are not indexed. */
export function nodeNameIndexFunc(obj: KubeObject): readonly string[] {
  const spec = obj.spec;
  if (typeof spec !== 'object' || spec === null) return NONE;
  const nodeName = (spec as { nodeName?: unknown }).nodeName;
  return typeof nodeName === 'string' && nodeName !== '' ? [nodeName] : NONE;
}

/** IX-10: what every informer's indexer starts with. */
export function defaultIndexers(): Indexers {
  return { [NAMESPACE_INDEX]: metaNamespaceIndexFunc };
}

/** The extra indexes offered for pods (and other objects with the same fields). */
export function podIndexers(): Indexers {
  return {
    [LABELS_INDEX]: labelsIndexFunc,
    [OWNER_UID_INDEX]: ownerUIDIndexFunc,
    [NODE_NAME_INDEX]: nodeNameIndexFunc,
  };
}
