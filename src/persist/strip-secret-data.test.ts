import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube/api/types.ts';
import { LAST_APPLIED_ANNOTATION, stripSecretData } from './strip-secret-data.ts';

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
