// Secret values never reach IndexedDB (issue 4). A browser profile is not a credential store:
// anything written there outlives the session and is readable by every script of the origin.
import type { KubeObject } from '../kube/api/types.ts';

/**
 * kubectl apply copies the whole object, data included, into this annotation, so it must go too.
 */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** True for core Secrets, whether recognised by the informer's resource or by the object's kind. */
export function isSecret(obj: KubeObject, resource: { group: string; resource: string }): boolean {
  return (resource.group === '' && resource.resource === 'secrets') || obj.kind === 'Secret';
}

/**
 * The object as it may be persisted: for a Secret, a shallow copy without `data`, `stringData` and
 * the last-applied annotation; anything else is returned as is. The input is never modified
 * (informer objects are shared and read-only).
 */
export function stripSecretData(obj: KubeObject, resource: { group: string; resource: string }): KubeObject {
  if (!isSecret(obj, resource)) return obj;
  const { data: _data, stringData: _stringData, ...rest } = obj;
  const annotations = obj.metadata?.annotations;
  if (annotations && LAST_APPLIED_ANNOTATION in annotations) {
    const { [LAST_APPLIED_ANNOTATION]: _lastApplied, ...kept } = annotations;
    rest.metadata = { ...obj.metadata, annotations: kept };
  }
  return rest;
}
