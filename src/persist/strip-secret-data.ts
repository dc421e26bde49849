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

/**
 * The JSON text of an object as it may be persisted, for text serialized elsewhere (the page
 * strips Secrets before it posts text to the persistence worker; this keeps the guarantee in the
 * worker too, should a caller forget). Text that may be a Secret, because the resource is secrets
 * or the text contains "Secret" as a JSON string, is parsed and, if it is one, stripped and
 * serialized again; any other text is returned as is, unparsed, which is what makes the text path
 * cheap. JSON.stringify writes ASCII letters as themselves (never as \u escapes), so a Secret's
 * `"kind":"Secret"` always contains that string. Throws a SyntaxError or TypeError for text that
 * needed checking and is not a JSON object.
 */
export function stripSecretText(json: string, resource: { group: string; resource: string }): string {
  const secretResource = resource.group === '' && resource.resource === 'secrets';
  if (!secretResource && !json.includes('"Secret"')) return json;
  const value: unknown = JSON.parse(json);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('stored text must be a JSON object');
  }
  const obj = value as KubeObject;
  return isSecret(obj, resource) ? JSON.stringify(stripSecretData(obj, resource)) : json;
}
