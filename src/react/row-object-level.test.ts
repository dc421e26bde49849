import { describe, expect, it } from 'vitest';
import { detailsFieldSelector, rowObjectLevel, selectsOneName } from './row-object-level.ts';
import { rowObjectOf } from './server-table.ts';

const pods = { group: '', version: 'v1', resource: 'pods' };

describe('rowObjectLevel', () => {
  it('list views hold metadata only; the details key and events hold whole objects', () => {
    expect(rowObjectLevel(pods, '')).toBe('Metadata');
    expect(rowObjectLevel(pods, 'spec.nodeName=n1')).toBe('Metadata');
    expect(rowObjectLevel(pods, detailsFieldSelector('web-0'))).toBe('Object');
    expect(rowObjectLevel({ group: '', version: 'v1', resource: 'events' }, '')).toBe('Object');
    expect(rowObjectLevel({ group: 'events.k8s.io', version: 'v1', resource: 'events' }, '')).toBe('Object');
    // A CRD that happens to be called "events" in another group is a plain list view.
    expect(rowObjectLevel({ group: 'example.com', version: 'v1', resource: 'events' }, '')).toBe('Metadata');
  });

  it('recognises a name pinned by = or ==, alone or among other terms, but not != or an empty name', () => {
    expect(selectsOneName('metadata.name=a')).toBe(true);
    expect(selectsOneName('metadata.name==a')).toBe(true);
    expect(selectsOneName('status.phase=Running,metadata.name=a')).toBe(true);
    expect(selectsOneName('metadata.name!=a')).toBe(false);
    expect(selectsOneName('metadata.name=')).toBe(false);
    expect(selectsOneName('metadata.namespace=a')).toBe(false);
  });
});

describe('rowObjectOf', () => {
  it('keeps metadata (without managedFields) and cells of a PartialObjectMetadata row, and no kind', () => {
    const metadata = {
      name: 'web-0',
      namespace: 'shop',
      resourceVersion: '7',
      labels: { app: 'web' },
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
    };
    const row = rowObjectOf({
      cells: ['web-0', '1/1'],
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata },
    });
    expect(row).toEqual({
      metadata: { name: 'web-0', namespace: 'shop', resourceVersion: '7', labels: { app: 'web' } },
      cells: ['web-0', '1/1'],
      object: {
        metadata: { name: 'web-0', namespace: 'shop', resourceVersion: '7', labels: { app: 'web' } },
      },
    });
  });

  it('keeps a whole object as it came, managedFields included (the details YAML shows them)', () => {
    const object = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'web-0', managedFields: [{ manager: 'kubectl' }] },
      spec: { nodeName: 'n1' },
    };
    const row = rowObjectOf({ cells: ['web-0'], object });
    expect(row?.object).toBe(object);
    expect(row?.kind).toBe('Pod');
    expect(row?.metadata).toBe(object.metadata);
  });
});
