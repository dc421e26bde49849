// The YAML shown for an object: `yaml` package output, with metadata.managedFields left out unless
// asked for (it is usually most of the text and rarely what one reads). Never mutates the object
// (cached objects are read-only, IX-10).
import { stringify } from 'yaml';
import type { KubeObject } from '../../kube/api/types.ts';

export function objectYaml(obj: KubeObject, showManagedFields: boolean): string {
  let view: KubeObject = obj;
  if (!showManagedFields && obj.metadata?.managedFields) {
    const { managedFields: _omitted, ...metadata } = obj.metadata;
    view = { ...obj, metadata };
  }
  return stringify(view, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** How many managedFields entries were hidden, for the toggle's label. */
export function managedFieldsCount(obj: KubeObject): number {
  return obj.metadata?.managedFields?.length ?? 0;
}
