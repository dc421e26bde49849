import { describe, expect, it } from 'vitest';
import { compileJsonPath, JsonPathError, jsonPathText } from './jsonpath.ts';

const widget = {
  metadata: {
    name: 'w1',
    labels: { 'app.kubernetes.io/name': 'shop' },
    creationTimestamp: '2024-05-01T10:00:00Z',
  },
  spec: { replicas: 3, color: 'red', ports: [80, 443, 8080], enabled: false },
  status: {
    conditions: [
      { type: 'Available', status: 'False', count: 1 },
      { type: 'Ready', status: 'True', count: 7 },
    ],
  },
};

function run(expr: string, obj: unknown = widget): unknown[] {
  return compileJsonPath(expr).evaluate(obj);
}

describe('jsonpath subset', () => {
  it('selects nested fields', () => {
    expect(run('.spec.replicas')).toEqual([3]);
    expect(run('.metadata.creationTimestamp')).toEqual(['2024-05-01T10:00:00Z']);
    expect(run('.spec.enabled')).toEqual([false]);
  });

  it('accepts the "$" root and "{}" braces kubectl templates use', () => {
    expect(run('$.spec.color')).toEqual(['red']);
    expect(run('{.spec.color}')).toEqual(['red']);
  });

  it('yields nothing for a missing field instead of failing (AllowMissingKeys)', () => {
    expect(run('.spec.size')).toEqual([]);
    expect(run('.nope.deeper.still')).toEqual([]);
    expect(run('.spec.replicas.x')).toEqual([]);
  });

  it('indexes arrays, including from the end', () => {
    expect(run('.spec.ports[0]')).toEqual([80]);
    expect(run('.spec.ports[2]')).toEqual([8080]);
    expect(run('.spec.ports[-1]')).toEqual([8080]);
    expect(run('.spec.ports[3]')).toEqual([]);
  });

  it('expands wildcards over arrays and maps', () => {
    expect(run('.spec.ports[*]')).toEqual([80, 443, 8080]);
    expect(run('.status.conditions[*].type')).toEqual(['Available', 'Ready']);
    expect(run('.metadata.labels.*')).toEqual(['shop']);
  });

  it('reads keys with dots through bracket notation', () => {
    expect(run(".metadata.labels['app.kubernetes.io/name']")).toEqual(['shop']);
    expect(run('.metadata.labels["app.kubernetes.io/name"]')).toEqual(['shop']);
  });

  it('filters list items by equality, inequality and numeric comparison', () => {
    expect(run('.status.conditions[?(@.type=="Ready")].status')).toEqual(['True']);
    expect(run(".status.conditions[?(@.type == 'Available')].status")).toEqual(['False']);
    expect(run('.status.conditions[?(@.type!="Ready")].type')).toEqual(['Available']);
    expect(run('.status.conditions[?(@.count>2)].type')).toEqual(['Ready']);
    expect(run('.status.conditions[?(@.count<=1)].type')).toEqual(['Available']);
    expect(run('.status.conditions[?(@.type=="Missing")].status')).toEqual([]);
  });

  it('filters on field existence', () => {
    const obj = { items: [{ a: 1 }, { b: 2 }, { a: 3 }] };
    expect(run('.items[?(@.a)].a', obj)).toEqual([1, 3]);
  });

  it('rejects malformed or unsupported expressions at compile time', () => {
    for (const bad of [
      '',
      'spec',
      '.',
      '.spec[',
      '.spec[1:2]',
      '.a[?(@.x=)]',
      ".a['open",
      '.a]',
      '.a[?(x==1)]',
    ]) {
      expect(() => compileJsonPath(bad), bad).toThrow(JsonPathError);
    }
  });

  it('never throws while evaluating odd documents', () => {
    const path = compileJsonPath('.status.conditions[?(@.type=="Ready")].status');
    for (const doc of [null, undefined, 42, 'text', [], { status: 'flat' }, { status: { conditions: {} } }]) {
      expect(path.evaluate(doc)).toEqual([]);
    }
  });

  it('prints values as jsonpath text output does', () => {
    expect(jsonPathText('red')).toBe('red');
    expect(jsonPathText(3)).toBe('3');
    expect(jsonPathText(true)).toBe('true');
    expect(jsonPathText({ a: [1, 2] })).toBe('{"a":[1,2]}');
  });
});
