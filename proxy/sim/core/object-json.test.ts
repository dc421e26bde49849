import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/kube/api/types.ts';
import { listJson, objectJson } from './object-json.ts';
import { createSimCluster } from './sim-cluster.ts';
import { bodyJson, bodyText, buildSimRequest } from './sim-request-builder.ts';

const CM = { group: '', version: 'v1', resource: 'configmaps' };

function frozenPod(name: string, extra: Record<string, unknown> = {}): KubeObject {
  const obj: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: Object.freeze({ name, namespace: 'default', labels: { app: 'ü "quoted" \u2028' } }),
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    ...extra,
  };
  return Object.freeze(obj);
}

describe('objectJson', () => {
  it('is JSON.stringify of the object, including characters JSON must escape', () => {
    const pod = frozenPod('a');
    expect(objectJson(pod)).toBe(JSON.stringify(pod));
    expect(JSON.parse(objectJson(pod))).toEqual(pod);
  });

  it('serialises a frozen (stored) object once: the same text instance comes back', () => {
    const pod = frozenPod('b');
    const first = objectJson(pod);
    // Nested values of stored objects are never changed in place (object-store.ts); changing one
    // here proves the second call did not serialise again.
    (pod.spec as { containers: { image: string }[] }).containers[0]!.image = 'changed';
    expect(objectJson(pod)).toBe(first);
    expect(first).toContain('"nginx"');
  });

  it('never caches an object that is not frozen (a transient copy)', () => {
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
      data: { k: '1' },
    };
    expect(objectJson(obj)).toContain('"k":"1"');
    (obj.data as Record<string, string>).k = '2';
    expect(objectJson(obj)).toContain('"k":"2"');
  });
});

describe('listJson', () => {
  it('equals JSON.stringify of the list, metadata before items', () => {
    const items = [frozenPod('a'), frozenPod('b', { status: { phase: 'Running' } })];
    const envelope = {
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '42', continue: 'tok"en', remainingItemCount: 3 },
    };
    const text = listJson(envelope, items);
    expect(text).toBe(JSON.stringify({ ...envelope, items }));
    expect(text.indexOf('"continue"')).toBeLessThan(text.indexOf('"items"'));
  });

  it('writes an empty items array for an empty list', () => {
    const text = listJson({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' } }, []);
    expect(JSON.parse(text)).toEqual({
      kind: 'PodList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '1' },
      items: [],
    });
  });
});

describe('served lists and gets reuse the text and still see every write', () => {
  it('a list after an update shows the new version (a write publishes a new object)', async () => {
    const cluster = createSimCluster();
    cluster.create(CM, { metadata: { name: 'cm', namespace: 'default' }, data: { v: '1' } });
    const list = async () =>
      bodyJson<{ items: { data: { v: string }; metadata: { resourceVersion: string } }[] }>(
        await cluster.handle(buildSimRequest('/api/v1/namespaces/default/configmaps')),
      );
    const before = await list();
    expect(before.items[0]?.data.v).toBe('1');
    const updated = cluster.update(CM, { metadata: { name: 'cm', namespace: 'default' }, data: { v: '2' } });
    const after = await list();
    expect(after.items[0]?.data.v).toBe('2');
    expect(after.items[0]?.metadata.resourceVersion).toBe(updated.metadata?.resourceVersion);
    const get = await cluster.handle(buildSimRequest('/api/v1/namespaces/default/configmaps/cm'));
    expect(JSON.parse(await bodyText(get.body))).toEqual(JSON.parse(JSON.stringify(updated)));
  });

  it('a list body is byte-identical to JSON.stringify of the list object', async () => {
    const cluster = createSimCluster();
    for (let i = 0; i < 3; i++) cluster.create(CM, { metadata: { name: `cm-${i}`, namespace: 'default' } });
    const res = await cluster.handle(
      buildSimRequest('/api/v1/namespaces/default/configmaps', { query: { limit: '2' } }),
    );
    const text = await bodyText(res.body);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(text).toBe(JSON.stringify(parsed));
    expect(Object.keys(parsed)).toEqual(['kind', 'apiVersion', 'metadata', 'items']);
  });
});
