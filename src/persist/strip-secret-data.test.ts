import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/api/types.ts';
import { LAST_APPLIED_ANNOTATION, stripSecretData, stripSecretText } from './strip-secret-data.ts';

const secrets = { group: '', resource: 'secrets' };

describe('stripSecretData', () => {
  it('removes data, stringData and the last-applied annotation of a Secret, keeping the rest', () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: 's',
        namespace: 'ns',
        annotations: { [LAST_APPLIED_ANNOTATION]: '{"data":{"k":"c2VjcmV0"}}', team: 'blue' },
      },
      data: { k: 'c2VjcmV0' },
      stringData: { p: 'secret' },
    };
    const stripped = stripSecretData(secret, secrets);
    expect(stripped).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 's', namespace: 'ns', annotations: { team: 'blue' } },
    });
    // The informer's object is shared and read-only: it must be untouched.
    expect(secret.data).toEqual({ k: 'c2VjcmV0' });
    expect(secret.metadata?.annotations?.[LAST_APPLIED_ANNOTATION]).toBeDefined();
  });

  it('recognises a Secret by kind even under another resource key, and by resource without kind', () => {
    expect(stripSecretData({ kind: 'Secret', data: { a: 'b' } }, { group: '', resource: 'things' })).toEqual({
      kind: 'Secret',
    });
    expect(stripSecretData({ metadata: { name: 'x' }, data: { a: 'b' } }, secrets)).toEqual({
      metadata: { name: 'x' },
    });
  });

  it('leaves other objects as they are (same reference)', () => {
    const cm: KubeObject = { kind: 'ConfigMap', data: { a: 'b' } };
    expect(stripSecretData(cm, { group: '', resource: 'configmaps' })).toBe(cm);
  });
});

describe('stripSecretText', () => {
  const pods = { group: '', resource: 'pods' };
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'c2VjcmV0' } };

  it('returns text that cannot be a Secret as is, without parsing it', () => {
    const text = '{"kind":"Pod", "metadata":{"name":"p"}}';
    expect(stripSecretText(text, pods)).toBe(text);
    // Not JSON, but nothing suggests a Secret: not parsed, so not rejected either.
    expect(stripSecretText('{oops}', pods)).toBe('{oops}');
  });

  it('strips a Secret found by resource or by kind, and keeps a non-Secret that mentions one', () => {
    for (const resource of [secrets, pods]) {
      const out = stripSecretText(JSON.stringify(secret), resource);
      expect(JSON.parse(out)).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    }
    const mention = '{"kind":"ConfigMap", "data":{"note":"Secret"}}';
    expect(stripSecretText(mention, pods)).toBe(mention);
  });

  it('throws for text that needed checking and is not a JSON object', () => {
    expect(() => stripSecretText('{"kind":"Secret",', pods)).toThrow(SyntaxError);
    expect(() => stripSecretText('["Secret"]', pods)).toThrow(TypeError);
    expect(() => stripSecretText('{', secrets)).toThrow(SyntaxError);
  });
});
