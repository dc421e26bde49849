// List semantics through the whole request path. Rows of the "Server RV semantics" table of
// client-go-semantics.md §12 are cited by their (request, RV) cell.
import { describe, expect, it } from 'vitest';
import { createSimCluster, type SimClusterOptions } from './sim-cluster.ts';
import { bodyJson, buildSimRequest } from './sim-request-builder.ts';

const CM = { group: '', version: 'v1', resource: 'configmaps' };
const NS = { group: '', version: 'v1', resource: 'namespaces' };

interface ListBody {
  kind: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: { metadata: { name: string; namespace?: string } }[];
  reason?: string;
  code?: number;
  message?: string;
  details?: { causes?: { reason: string; message: string; field?: string }[] };
}

function setup(opts: SimClusterOptions = {}, count = 5) {
  const cluster = createSimCluster(opts);
  for (let i = 0; i < count; i++)
    cluster.create(CM, { metadata: { name: `cm-${i}`, namespace: 'default', labels: { i: String(i % 2) } } });
  const list = async (query: Record<string, string>, path = '/api/v1/configmaps') => {
    const res = await cluster.handle(buildSimRequest(path, { query }));
    return { status: res.status, body: await bodyJson<ListBody>(res) };
  };
  return { cluster, list };
}

const names = (b: ListBody) => b.items.map((i) => i.metadata.name);

describe('list: Server RV semantics', () => {
  it('list, RV unset: most recent state at the current RV', async () => {
    const { cluster, list } = setup();
    const { status, body } = await list({});
    expect(status).toBe(200);
    expect(body.kind).toBe('ConfigMapList');
    expect(body.metadata.resourceVersion).toBe(cluster.resourceVersion());
    expect(names(body)).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4']);
  });

  it('list, RV="0": any state (served current)', async () => {
    const { cluster, list } = setup();
    const { body } = await list({ resourceVersion: '0' });
    expect(body.metadata.resourceVersion).toBe(cluster.resourceVersion());
    expect(body.items).toHaveLength(5);
  });

  it('list, no limit, RV=N: not older than N', async () => {
    const { cluster, list } = setup();
    const old = cluster.resourceVersion();
    cluster.create(CM, { metadata: { name: 'cm-new', namespace: 'default' } });
    const { body } = await list({ resourceVersion: old });
    expect(body.metadata.resourceVersion).toBe(cluster.resourceVersion());
    expect(names(body)).toContain('cm-new');
  });

  it('list, limit set, RV=N: exact N, rebuilt from history (creates, updates and deletes undone)', async () => {
    const { cluster, list } = setup();
    const at = cluster.resourceVersion();
    cluster.create(CM, { metadata: { name: 'cm-later', namespace: 'default' } });
    cluster.delete(CM, 'default', 'cm-1');
    const cm2 = cluster.get(CM, 'default', 'cm-2');
    cluster.update(CM, { ...cm2, data: { changed: 'yes' } });
    const { body } = await list({ resourceVersion: at, limit: '10' });
    expect(body.metadata.resourceVersion).toBe(at);
    expect(names(body)).toEqual(['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4']);
    expect((body.items[2] as { data?: unknown }).data).toBeUndefined();
  });

  it('list + resourceVersionMatch=Exact: exact N; 410 Expired once compacted (PG-10)', async () => {
    const { cluster, list } = setup();
    const at = cluster.resourceVersion();
    cluster.create(CM, { metadata: { name: 'cm-later', namespace: 'default' } });
    const exact = await list({ resourceVersion: at, resourceVersionMatch: 'Exact' });
    expect(exact.body.items).toHaveLength(5);
    cluster.compact();
    const gone = await list({ resourceVersion: at, resourceVersionMatch: 'Exact' });
    expect(gone.status).toBe(410);
    expect(gone.body.reason).toBe('Expired');
  });

  it('list + resourceVersionMatch=NotOlderThan with RV="0": any', async () => {
    const { list } = setup();
    expect((await list({ resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' })).status).toBe(200);
  });

  it.each([
    [
      { resourceVersionMatch: 'NotOlderThan' },
      'resourceVersionMatch is forbidden unless resourceVersion is provided',
    ],
    [
      { resourceVersionMatch: 'Exact' },
      'resourceVersionMatch is forbidden unless resourceVersion is provided',
    ],
    [
      { resourceVersion: '0', resourceVersionMatch: 'Exact' },
      'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    ],
    [{ resourceVersion: '1', resourceVersionMatch: 'Newest' }, 'Unsupported value: "Newest"'],
    [{ sendInitialEvents: 'true' }, 'sendInitialEvents is forbidden for list'],
  ])(
    'invalid combination %j is a 422 Invalid ListOptions, as the apiserver validates it',
    async (query, message) => {
      const { list } = setup();
      const { status, body } = await list(query as Record<string, string>);
      expect(status).toBe(422);
      expect(body.reason).toBe('Invalid');
      expect(body.message).toContain('ListOptions.meta.k8s.io "" is invalid');
      expect(body.message).toContain(message);
    },
  );

  it('TE-07: an RV newer than the server has is 504 with cause ResourceVersionTooLarge', async () => {
    const { cluster, list } = setup();
    const future = String(Number(cluster.resourceVersion()) + 100);
    const queries: Record<string, string>[] = [
      { resourceVersion: future },
      { resourceVersion: future, resourceVersionMatch: 'Exact' },
    ];
    for (const q of queries) {
      const { status, body } = await list(q);
      expect(status).toBe(504);
      expect(body.reason).toBe('Timeout');
      expect(body.message).toContain('Too large resource version');
      expect(body.details?.causes?.[0]?.reason).toBe('ResourceVersionTooLarge');
    }
  });

  it('a non-numeric RV is a 400', async () => {
    const { list } = setup();
    expect((await list({ resourceVersion: 'abc' })).status).toBe(400);
  });
});

describe('list: paging (PG-04, PG-08)', () => {
  it('pages with limit+continue; every page carries the first page RV even after writes', async () => {
    const { cluster, list } = setup({}, 7);
    const first = await list({ limit: '3' });
    expect(names(first.body)).toEqual(['cm-0', 'cm-1', 'cm-2']);
    expect(first.body.metadata.remainingItemCount).toBe(4);
    const rv = first.body.metadata.resourceVersion;
    cluster.delete(CM, 'default', 'cm-4');
    cluster.create(CM, { metadata: { name: 'cm-35', namespace: 'default' } });
    const second = await list({ limit: '3', continue: first.body.metadata.continue as string });
    expect(second.body.metadata.resourceVersion).toBe(rv);
    expect(names(second.body)).toEqual(['cm-3', 'cm-4', 'cm-5']);
    const third = await list({ limit: '3', continue: second.body.metadata.continue as string });
    expect(names(third.body)).toEqual(['cm-6']);
    expect(third.body.metadata.continue).toBeUndefined();
    expect(third.body.metadata.remainingItemCount).toBeUndefined();
  });

  it('PG-04: continue together with a resourceVersion is a 400', async () => {
    const { list } = setup();
    const first = await list({ limit: '2' });
    const { status, body } = await list({
      continue: first.body.metadata.continue as string,
      resourceVersion: '3',
    });
    expect(status).toBe(400);
    expect(body.message).toBe('specifying resource version is not allowed when using continue');
  });

  it('PG-08: omits remainingItemCount when selectors are used', async () => {
    const { list } = setup({}, 6);
    const { body } = await list({ limit: '1', labelSelector: 'i=1' });
    expect(names(body)).toEqual(['cm-1']);
    expect(body.metadata.continue).toBeDefined();
    expect(body.metadata.remainingItemCount).toBeUndefined();
    const rest = await list({ limit: '5', labelSelector: 'i=1', continue: body.metadata.continue as string });
    expect(names(rest.body)).toEqual(['cm-3', 'cm-5']);
  });

  it('PG-08/PG-10: a continue token older than the history window is 410 Expired with an inconsistent token', async () => {
    const { cluster, list } = setup({ historyWindow: 2 });
    const first = await list({ limit: '2' });
    for (let i = 0; i < 3; i++) cluster.create(CM, { metadata: { name: `late-${i}`, namespace: 'default' } });
    const { status, body } = await list({ limit: '2', continue: first.body.metadata.continue as string });
    expect(status).toBe(410);
    expect(body.reason).toBe('Expired');
    expect(body.message).toContain('The provided continue parameter is too old');
    const inconsistent = (body as unknown as { metadata: { continue: string } }).metadata.continue;
    const resumed = await list({ limit: '100', continue: inconsistent });
    expect(resumed.status).toBe(200);
    expect(names(resumed.body)).toContain('late-2');
  });

  it('a continue token older than continueTokenTtlMs is 410 Expired', async () => {
    let now = 1_000_000;
    const { list } = setup({ continueTokenTtlMs: 1000, now: () => now });
    const first = await list({ limit: '2' });
    now += 1500;
    const { status, body } = await list({ limit: '2', continue: first.body.metadata.continue as string });
    expect(status).toBe(410);
    expect(body.reason).toBe('Expired');
  });

  it('a garbage continue token is a 400', async () => {
    const { list } = setup();
    expect((await list({ continue: 'garbage' })).status).toBe(400);
  });

  it('lists one namespace through its key range only', async () => {
    const { cluster, list } = setup({}, 2);
    cluster.create(NS, { metadata: { name: 'default-x' } });
    cluster.create(CM, { metadata: { name: 'other', namespace: 'default-x' } });
    const { body } = await list({}, '/api/v1/namespaces/default/configmaps');
    expect(names(body)).toEqual(['cm-0', 'cm-1']);
    const all = await list({});
    expect(all.body.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(
      ['default/cm-0', 'default/cm-1', 'default-x/other'].sort(),
    );
  });

  it('applies label and field selectors; a bad selector is a 400', async () => {
    const { list } = setup();
    expect(names((await list({ labelSelector: 'i in (0)' })).body)).toEqual(['cm-0', 'cm-2', 'cm-4']);
    expect(names((await list({ fieldSelector: 'metadata.name=cm-3' })).body)).toEqual(['cm-3']);
    expect((await list({ labelSelector: 'i in (' })).status).toBe(400);
    const unsupported = await list({ fieldSelector: 'spec.nodeName=x' });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.message).toContain('field label not supported');
  });
});
