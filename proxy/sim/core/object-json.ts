// The JSON text of stored objects, serialised once per object version and reused by every list
// and get that returns that version. Serialising each object for each response made the
// simulated cluster the bottleneck of every client benchmark (about half its CPU time went to
// JSON.stringify when serving paged lists of 50,000 pods), so a load generator it could not be.
//
// Invariant that makes the cache correct: the object store (object-store.ts) never changes a
// stored object in place. Every create, update and delete publishes a NEW object, frozen at the
// top level and at metadata, and nested values are shared read-only. So one object identity is
// one version, and a write "invalidates" the cache simply by no longer handing out the old object
// (the WeakMap then lets its text go with it). Only frozen objects are cached: a transient object
// (a copy with another apiVersion, a dry-run result being built) is serialised every time.
import type { KubeObject } from '../../../src/kube/api/types.ts';

const texts = new WeakMap<object, string>();

/** JSON.stringify(obj), computed once per frozen (stored) object. */
export function objectJson(obj: KubeObject): string {
  let text = texts.get(obj);
  if (text === undefined) {
    text = JSON.stringify(obj);
    if (Object.isFrozen(obj)) texts.set(obj, text);
  }
  return text;
}

export interface ListEnvelope {
  kind: string;
  apiVersion: string;
  metadata: Record<string, unknown>;
}

/**
 * The text of `{kind, apiVersion, metadata, items}`: exactly what JSON.stringify of that object
 * gives, with each item's text taken from objectJson. The metadata comes before the items, as the
 * apiserver writes it (ListMeta precedes Items in the Go struct).
 */
export function listJson(envelope: ListEnvelope, items: readonly KubeObject[]): string {
  const parts: string[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) parts[i] = objectJson(items[i] as KubeObject);
  return `{"kind":${JSON.stringify(envelope.kind)},"apiVersion":${JSON.stringify(envelope.apiVersion)},"metadata":${JSON.stringify(envelope.metadata)},"items":[${parts.join(',')}]}`;
}
