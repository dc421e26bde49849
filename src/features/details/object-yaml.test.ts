import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { managedFieldsCount, objectYaml } from './object-yaml.ts';

const obj = Object.freeze({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: Object.freeze({
    name: 'cm',
    namespace: 'default',
    managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
  }),
  data: { 'a.yaml': 'x: 1\n' },
});

describe('objectYaml', () => {
  it('hides managedFields by default without touching the cached object', () => {
    const text = objectYaml(obj, false);
    expect(text).not.toContain('managedFields');
    expect(parse(text)).toEqual({ ...obj, metadata: { name: 'cm', namespace: 'default' } });
    expect(obj.metadata.managedFields).toHaveLength(1);
    expect(managedFieldsCount(obj)).toBe(1);
  });

  it('shows managedFields on request and round-trips the object', () => {
    expect(parse(objectYaml(obj, true))).toEqual(obj);
  });
});
