// TableListerWatcher against the real simulated-cluster core (mounted in MSW): Table pages carry
// rows with their objects, and the page's ListMeta reaches the pager before the rows are parsed so
// it can fetch ahead (PG-04).
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimCluster } from '../../proxy/sim/core/sim-cluster.ts';
import type { ListMeta } from '../kube/api/types.ts';
import { RESTClient } from '../kube/rest/rest-client.ts';
import { DEFAULT_SIM_BASE_URL, simHandlers } from '../testing/mocks/sim-handlers.ts';
import { TableListerWatcher } from './table-lister-watcher.ts';

const cluster = createSimCluster({ bootstrapNamespaces: true });
const server = setupServer(...simHandlers(cluster));

beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  for (let i = 0; i < 5; i++)
    cluster.create(
      { group: '', version: 'v1', resource: 'configmaps' },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}`, namespace: 'default' },
        data: { i: String(i) },
      },
    );
});
afterAll(() => {
  server.close();
  cluster.close();
});

describe('TableListerWatcher', () => {
  it('PG-04: hands each Table page’s ListMeta to onListMeta before the rows are parsed, equal to the page’s own', async () => {
    const lw = new TableListerWatcher({
      client: new RESTClient({ baseUrl: DEFAULT_SIM_BASE_URL, qps: -1 }),
      gvr: { group: '', version: 'v1', resource: 'configmaps' },
      namespace: 'default',
    });
    const seen: ListMeta[] = [];
    const first = await lw.list({ limit: 2 }, new AbortController().signal, {
      onListMeta: (meta) => seen.push(meta),
    });
    expect(first.items.map((r) => r.metadata.name)).toEqual(['cm-0', 'cm-1']);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.continue).toBeTruthy();
    expect(seen[0]?.continue).toBe(first.metadata.continue);
    expect(lw.columns().map((c) => c.name)).toContain('Name');

    const rest = await lw.list(
      { limit: 10, continue: first.metadata.continue },
      new AbortController().signal,
    );
    expect(rest.items.map((r) => r.metadata.name)).toEqual(['cm-2', 'cm-3', 'cm-4']);
    expect(rest.metadata.continue ?? '').toBe('');
  });

  it('list views get metadata-only rows (includeObject=Metadata): cells and metadata, no body, no kind', async () => {
    const lw = new TableListerWatcher({
      client: new RESTClient({ baseUrl: DEFAULT_SIM_BASE_URL, qps: -1 }),
      gvr: { group: '', version: 'v1', resource: 'configmaps' },
      namespace: 'default',
    });
    const list = await lw.list({}, new AbortController().signal);
    const row = list.items.find((r) => r.metadata.name === 'cm-3');
    expect(row?.metadata.namespace).toBe('default');
    expect(row?.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(row?.cells[0]).toBe('cm-3');
    expect(row?.object).toEqual({ metadata: row?.metadata });
    expect(row?.kind).toBeUndefined(); // PartialObjectMetadata is not the resource's kind
  });

  it('a key at the Object level gets whole objects, in the list and on the watch', async () => {
    const lw = new TableListerWatcher({
      client: new RESTClient({ baseUrl: DEFAULT_SIM_BASE_URL, qps: -1 }),
      gvr: { group: '', version: 'v1', resource: 'configmaps' },
      namespace: 'default',
      fieldSelector: 'metadata.name=cm-1',
      objectLevel: 'Object',
    });
    const abort = new AbortController();
    const list = await lw.list({}, abort.signal);
    expect(list.items.map((r) => [r.metadata.name, r.kind, r.object.data])).toEqual([
      ['cm-1', 'ConfigMap', { i: '1' }],
    ]);
    const watch = await lw.watch({ resourceVersion: list.metadata.resourceVersion ?? '' }, abort.signal);
    const cms = { group: '', version: 'v1', resource: 'configmaps' };
    const current = cluster.get(cms, 'default', 'cm-1');
    cluster.update(cms, { ...current, data: { i: 'one' } });
    for await (const event of watch) {
      expect(event.type).toBe('MODIFIED');
      if (event.type === 'MODIFIED') expect(event.object.object.data).toEqual({ i: 'one' });
      break;
    }
    watch.stop();
    abort.abort();
  });
});
