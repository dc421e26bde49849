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
    expect(first.items[0]?.object.data).toEqual({ i: '0' });
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
});
