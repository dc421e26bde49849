// Lister: the read-only, namespace-aware query surface over an informer's indexer (client-go's
// listers). It reads through IndexerReader, so it cannot write (habit 6), and it uses the
// namespace and labels indexes when they exist instead of scanning every object.
import type { KubeObject } from '../api/types.ts';
import { LABELS_INDEX, labelIndexValue, NAMESPACE_INDEX } from './index-funcs.ts';
import type { IndexerReader } from './indexer.ts';

/**
 * Which objects to return: equality on labels (every pair must match), or any predicate over the
 * object. Predicates always scan; matchLabels uses the labels index when the indexer has one.
 */
export type ListSelector<T extends KubeObject> =
  | { matchLabels: Readonly<Record<string, string>> }
  | ((obj: T) => boolean);

export interface NamespaceLister<T extends KubeObject = KubeObject> {
  list(selector?: ListSelector<T>): T[];
  get(name: string): T | undefined;
}

export interface Lister<T extends KubeObject = KubeObject> {
  /** Every object, across all namespaces. */
  list(selector?: ListSelector<T>): T[];
  /** A cluster-scoped object by name, or a namespaced one by "namespace/name". */
  get(key: string): T | undefined;
  namespace(namespace: string): NamespaceLister<T>;
}

export function createLister<T extends KubeObject>(reader: IndexerReader<T>): Lister<T> {
  return {
    list: (selector) => select(reader, undefined, selector),
    get: (key) => reader.getByKey(key),
    namespace: (namespace) => ({
      list: (selector) => select(reader, namespace, selector),
      get: (name) => reader.getByKey(namespace === '' ? name : `${namespace}/${name}`),
    }),
  };
}

function select<T extends KubeObject>(
  reader: IndexerReader<T>,
  namespace: string | undefined,
  selector: ListSelector<T> | undefined,
): T[] {
  const indexers = reader.getIndexers();
  let candidates: readonly T[];
  if (selector !== undefined && typeof selector !== 'function' && LABELS_INDEX in indexers) {
    candidates = byLabels(reader, selector.matchLabels);
  } else if (namespace !== undefined && NAMESPACE_INDEX in indexers) {
    candidates = reader.byIndex(NAMESPACE_INDEX, namespace);
  } else {
    candidates = reader.list();
  }
  const match = matcher(selector);
  return candidates.filter(
    (obj) => (namespace === undefined || (obj.metadata?.namespace ?? '') === namespace) && match(obj),
  );
}

/** Objects carrying every label: start from the smallest index entry, check the rest per object. */
function byLabels<T extends KubeObject>(
  reader: IndexerReader<T>,
  labels: Readonly<Record<string, string>>,
): T[] {
  let smallest: string[] | undefined;
  for (const [key, value] of Object.entries(labels)) {
    const keys = reader.indexKeys(LABELS_INDEX, labelIndexValue(key, value));
    if (smallest === undefined || keys.length < smallest.length) smallest = keys;
  }
  if (smallest === undefined) return [...reader.list()];
  const out: T[] = [];
  for (const key of smallest) {
    const obj = reader.getByKey(key);
    if (obj !== undefined) out.push(obj);
  }
  return out;
}

function matcher<T extends KubeObject>(selector: ListSelector<T> | undefined): (obj: T) => boolean {
  if (selector === undefined) return () => true;
  if (typeof selector === 'function') return selector;
  const pairs = Object.entries(selector.matchLabels);
  return (obj) => {
    const labels = obj.metadata?.labels ?? {};
    return pairs.every(([key, value]) => labels[key] === value);
  };
}
