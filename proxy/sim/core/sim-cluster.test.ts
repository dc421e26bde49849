// The request path end to end: verbs, subresources, Table output, auth, faults and every error
// class (TE-01 Status bodies with the right reason and code), and that bad input never corrupts
// the store.
import { describe, expect, it } from 'vitest';
import { createSimCluster } from './sim-cluster.ts';
import { buildSimRequest, type SimRequestInit } from './sim-request-builder.ts';

const POD_PATH = '/api/v1/namespaces/default/pods';
const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
  ...extra,
});

function setup(opts: Parameters<typeof createSimCluster>[0] = {}) {
  const cluster = createSimCluster(opts);
  const call = async (path: string, init: SimRequestInit = {}) => {
    const res = await cluster.handle(buildSimRequest(path, init));
    const text = typeof res.body === 'string' ? res.body : '';
    return {
      status: res.status,
      headers: res.headers,
      // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies by path; a wrong path fails the assertion.
      body: (text === '' ? {} : JSON.parse(text)) as Record<string, any>,
    };
  };
  return { cluster, call };
}

describe('verbs', () => {
  it('create → 201, get → 200, duplicate → 409 AlreadyExists', async () => {
    const { call } = setup();
    const created = await call(POD_PATH, { method: 'POST', body: pod('a') });
    expect(created.status).toBe(201);
    expect(created.body.metadata.namespace).toBe('default');
    expect((await call(`${POD_PATH}/a`)).body.metadata.uid).toBe(created.body.metadata.uid);
    const dup = await call(POD_PATH, { method: 'POST', body: pod('a') });
    expect([dup.status, dup.body.reason, dup.body.kind]).toEqual([409, 'AlreadyExists', 'Status']);
  });

  it('an HTTP create stamps the server time; the in-process writer keeps a backdated creationTimestamp', async () => {
    const now = Date.parse('2026-11-26T12:00:00Z');
    const { cluster, call } = setup({ now: () => now });
    const backdated = '2026-10-01T08:00:00Z';
    const viaHttp = await call(POD_PATH, {
      method: 'POST',
      body: pod('http', { metadata: { name: 'http', creationTimestamp: backdated } }),
    });
    expect(viaHttp.body.metadata.creationTimestamp).toBe('2026-11-26T12:00:00Z');
    const viaWriter = cluster.create(
      { group: '', version: 'v1', resource: 'pods' },
      { ...pod('seeded'), metadata: { name: 'seeded', namespace: 'default', creationTimestamp: backdated } },
    );
    expect(viaWriter.metadata?.creationTimestamp).toBe(backdated);
    expect((await call(`${POD_PATH}/seeded`)).body.metadata.creationTimestamp).toBe(backdated);
  });

  it('create resets status for kinds with a status subresource, as PrepareForCreate does', async () => {
    const { call } = setup();
    const created = await call(POD_PATH, {
      method: 'POST',
      body: pod('a', { status: { phase: 'Running', podIP: '1.2.3.4' } }),
    });
    expect(created.body.status).toEqual({ phase: 'Pending' });
    const cm = await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: { metadata: { name: 'c' }, status: 'kept' },
    });
    expect(cm.body.status).toBe('kept');
  });

  it('PUT with a stale resourceVersion → 409 Conflict; without one it is unconditional', async () => {
    const { call } = setup();
    const a = (await call(POD_PATH, { method: 'POST', body: pod('a') })).body;
    const ok = await call(`${POD_PATH}/a`, {
      method: 'PUT',
      body: { ...a, metadata: { ...a.metadata, labels: { x: '1' } } },
    });
    expect(ok.status).toBe(200);
    const stale = await call(`${POD_PATH}/a`, {
      method: 'PUT',
      body: { ...a, metadata: { ...a.metadata, labels: { x: '2' } } },
    });
    expect([stale.status, stale.body.reason]).toEqual([409, 'Conflict']);
    const { resourceVersion: _, ...noRv } = a.metadata;
    const forced = await call(`${POD_PATH}/a`, {
      method: 'PUT',
      body: { ...a, metadata: { ...noRv, labels: { x: '3' } } },
    });
    expect(forced.body.metadata.labels).toEqual({ x: '3' });
  });

  it('PUT with a name different from the URL is 400; of a missing object 404', async () => {
    const { call } = setup();
    expect((await call(`${POD_PATH}/a`, { method: 'PUT', body: pod('b') })).status).toBe(400);
    expect((await call(`${POD_PATH}/a`, { method: 'PUT', body: pod('a') })).status).toBe(404);
  });

  it('patches with merge, strategic merge and JSON patch', async () => {
    const { call } = setup();
    await call(POD_PATH, {
      method: 'POST',
      body: pod('a', { metadata: { name: 'a', labels: { keep: 'y', drop: 'y' } } }),
    });
    const merge = await call(`${POD_PATH}/a`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { metadata: { labels: { drop: null, add: 'z' } } },
    });
    expect(merge.body.metadata.labels).toEqual({ keep: 'y', add: 'z' });
    const smp = await call(`${POD_PATH}/a`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } },
    });
    expect(smp.body.spec.containers).toEqual([{ name: 'c', image: 'nginx:2' }]);
    const jp = await call(`${POD_PATH}/a`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: [
        { op: 'test', path: '/metadata/labels/keep', value: 'y' },
        { op: 'replace', path: '/metadata/labels/keep', value: 'n' },
      ],
    });
    expect(jp.body.metadata.labels.keep).toBe('n');
    const failedTest = await call(`${POD_PATH}/a`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: [{ op: 'test', path: '/metadata/labels/keep', value: 'y' }],
    });
    expect(failedTest.status).toBe(422);
    const apply = await call(`${POD_PATH}/a`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/apply-patch+yaml' },
      rawBody: 'x: 1',
    });
    expect([apply.status, apply.body.reason]).toEqual([415, 'UnsupportedMediaType']);
    expect(
      (
        await call(`${POD_PATH}/zz`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/merge-patch+json' },
          body: {},
        })
      ).status,
    ).toBe(404);
  });

  it('a patch carrying a stale resourceVersion is 409 Conflict', async () => {
    const { call } = setup();
    await call(POD_PATH, { method: 'POST', body: pod('a') });
    const res = await call(`${POD_PATH}/a`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { metadata: { resourceVersion: '1', labels: { a: 'b' } } },
    });
    expect(res.status).toBe(409);
  });

  it('the status subresource updates only status; the main resource keeps status', async () => {
    const { call } = setup();
    await call(POD_PATH, { method: 'POST', body: pod('a') });
    const st = await call(`${POD_PATH}/a/status`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { status: { phase: 'Running' }, spec: { nodeName: 'ignored' } },
    });
    expect(st.body.status.phase).toBe('Running');
    expect(st.body.spec.nodeName).toBeUndefined();
    const got = await call(`${POD_PATH}/a/status`);
    expect(got.body.status.phase).toBe('Running');
    const main = await call(`${POD_PATH}/a`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { status: { phase: 'Failed' } },
    });
    expect(main.body.status.phase).toBe('Running');
    expect((await call('/api/v1/namespaces/default/configmaps/x/status')).status).toBe(404);
  });

  it('delete answers the object for pods and a Success Status for configmaps; preconditions → 409', async () => {
    const { call } = setup();
    const a = (await call(POD_PATH, { method: 'POST', body: pod('a') })).body;
    const pre = await call(`${POD_PATH}/a`, { method: 'DELETE', body: { preconditions: { uid: 'nope' } } });
    expect([pre.status, pre.body.reason]).toEqual([409, 'Conflict']);
    const del = await call(`${POD_PATH}/a`, {
      method: 'DELETE',
      body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: a.metadata.uid } },
    });
    expect([del.status, del.body.kind]).toEqual([200, 'Pod']);
    await call('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      body: { metadata: { name: 'c' } },
    });
    const cm = await call('/api/v1/namespaces/default/configmaps/c', { method: 'DELETE' });
    expect(cm.body).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'c', kind: 'configmaps' },
    });
    expect((await call(`${POD_PATH}/a`, { method: 'DELETE' })).status).toBe(404);
  });

  it('deletecollection deletes what the selectors match and answers the list', async () => {
    const { call } = setup();
    for (const [n, app] of [
      ['a', 'web'],
      ['b', 'web'],
      ['c', 'db'],
    ] as const) {
      await call(POD_PATH, { method: 'POST', body: pod(n, { metadata: { name: n, labels: { app } } }) });
    }
    const res = await call(POD_PATH, { method: 'DELETE', query: { labelSelector: 'app=web' } });
    expect(res.body.kind).toBe('PodList');
    expect(res.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['a', 'b']);
    expect(
      (await call(POD_PATH)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name),
    ).toEqual(['c']);
  });

  it('dryRun=All validates without persisting; another dryRun value is 400', async () => {
    const { call, cluster } = setup();
    const rv = cluster.resourceVersion();
    expect((await call(POD_PATH, { method: 'POST', body: pod('a'), query: { dryRun: 'All' } })).status).toBe(
      201,
    );
    expect((await call(`${POD_PATH}/a`)).status).toBe(404);
    expect(cluster.resourceVersion()).toBe(rv);
    expect((await call(POD_PATH, { method: 'POST', body: pod('a'), query: { dryRun: 'Some' } })).status).toBe(
      400,
    );
  });

  it('cluster-scoped resources ignore namespaces; deleting a namespace removes its objects', async () => {
    const { call } = setup();
    expect(
      (
        await call('/api/v1/namespaces', {
          method: 'POST',
          body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
        })
      ).status,
    ).toBe(201);
    await call('/api/v1/namespaces/team/pods', { method: 'POST', body: pod('p') });
    expect((await call('/api/v1/namespaces/team')).body.status.phase).toBe('Active');
    expect((await call('/api/v1/namespaces/team', { method: 'DELETE' })).status).toBe(200);
    expect((await call('/api/v1/namespaces/team/pods/p')).status).toBe(404);
    expect(
      (
        await call('/api/v1/nodes', {
          method: 'POST',
          body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } },
        })
      ).body.metadata.namespace,
    ).toBeUndefined();
    expect((await call('/api/v1/namespaces/default/nodes')).status).toBe(404);
  });

  it('Table output for get and list, with includeObject', async () => {
    const { call } = setup();
    await call(POD_PATH, { method: 'POST', body: pod('a') });
    const accept = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json' };
    const list = await call(POD_PATH, { headers: accept, query: { limit: '1' } });
    expect(list.headers['content-type']).toContain('as=Table');
    expect(list.body.kind).toBe('Table');
    expect(list.body.metadata.resourceVersion).toBeDefined();
    expect(list.body.rows[0].cells[0]).toBe('a');
    expect(list.body.rows[0].object.kind).toBe('PartialObjectMetadata');
    const none = await call(`${POD_PATH}/a`, { headers: accept, query: { includeObject: 'None' } });
    expect(none.body.rows[0].object).toBeUndefined();
    const full = await call(`${POD_PATH}/a`, { headers: accept, query: { includeObject: 'Object' } });
    expect(full.body.rows[0].object.kind).toBe('Pod');
    expect((await call(`${POD_PATH}/a`, { headers: accept, query: { includeObject: 'Bogus' } })).status).toBe(
      400,
    );
    expect((await call(POD_PATH, { headers: { accept: 'application/yaml' } })).status).toBe(406);
  });
});

describe('metadata-only and protected objects', () => {
  it('serves PartialObjectMetadata(List) when asked', async () => {
    const { call } = setup();
    await call(POD_PATH, { method: 'POST', body: pod('a') });
    const accept = {
      accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json',
    };
    const list = await call(POD_PATH, { headers: accept });
    expect(list.headers['content-type']).toContain('as=PartialObjectMetadataList');
    expect(list.body.kind).toBe('PartialObjectMetadataList');
    expect(list.body.items[0]).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: expect.objectContaining({ name: 'a' }),
    });
    expect(list.body.items[0].spec).toBeUndefined();
    const one = await call(`${POD_PATH}/a`, {
      headers: { accept: 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1' },
    });
    expect(one.body.kind).toBe('PartialObjectMetadata');
  });

  it('refuses to delete the default, kube-system and kube-public namespaces with 403', async () => {
    const { call } = setup();
    for (const ns of ['default', 'kube-system', 'kube-public']) {
      const res = await call(`/api/v1/namespaces/${ns}`, { method: 'DELETE' });
      expect([res.status, res.body.message]).toEqual([
        403,
        `namespaces "${ns}" is forbidden: this namespace may not be deleted`,
      ]);
    }
    expect((await call('/api/v1/namespaces/kube-node-lease', { method: 'DELETE' })).status).toBe(200);
  });
});

describe('errors', () => {
  it('401 without a user, 403 for a read-only user writing, reads allowed', async () => {
    const { call } = setup();
    const anon = await call('/api/v1/pods', { user: null });
    expect([anon.status, anon.body.reason]).toEqual([401, 'Unauthorized']);
    const viewer = { name: 'viewer', groups: [], readOnly: true };
    expect((await call('/api/v1/pods', { user: viewer })).status).toBe(200);
    const denied = await call(POD_PATH, { method: 'POST', body: pod('a'), user: viewer });
    expect([denied.status, denied.body.reason]).toEqual([403, 'Forbidden']);
    expect(denied.body.message).toBe(
      'pods is forbidden: User "viewer" cannot create resource "pods" in API group "" in the namespace "default"',
    );
  });

  it('404 for unknown resources and paths, 405 for unsupported methods and verbs', async () => {
    const { call } = setup();
    for (const path of [
      '/api/v1/widgets',
      '/apis/nope/v1/things',
      '/nothing',
      '/api/v2',
      '/api/v1/namespaces/default/pods/a/log',
    ]) {
      const res = await call(path);
      expect([path, res.status, res.body.reason]).toEqual([path, 404, 'NotFound']);
    }
    expect((await call(`${POD_PATH}/a`, { method: 'POST', body: pod('a') })).status).toBe(405);
    expect(
      (await call('/api/v1/componentstatuses', { method: 'POST', body: { metadata: { name: 'x' } } })).status,
    ).toBe(405);
    expect((await call('/apis', { method: 'DELETE' })).status).toBe(405);
    expect((await call('/api/v1/pods', { method: 'POST', body: pod('a') })).status).toBe(405);
  });

  it('malformed JSON, non-object bodies, wrong kinds and mismatched namespaces are 400', async () => {
    const { call, cluster } = setup();
    const rv = cluster.resourceVersion();
    const bad = await call(POD_PATH, {
      method: 'POST',
      rawBody: '{"metadata": ',
      headers: { 'content-type': 'application/json' },
    });
    expect([bad.status, bad.body.reason]).toEqual([400, 'BadRequest']);
    expect(bad.body.message).toContain('json parse error');
    expect((await call(POD_PATH, { method: 'POST', body: [1, 2] })).status).toBe(400);
    expect((await call(POD_PATH, { method: 'POST', rawBody: '' })).status).toBe(400);
    const wrongKind = await call(POD_PATH, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
    });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.message).toContain('cannot be handled as a Pod');
    const wrongNs = await call(POD_PATH, {
      method: 'POST',
      body: pod('a', { metadata: { name: 'a', namespace: 'other' } }),
    });
    expect(wrongNs.status).toBe(400);
    expect(cluster.resourceVersion()).toBe(rv);
  });

  it('missing name and invalid objects are 422 Invalid with causes; a missing namespace is 404', async () => {
    const { call } = setup();
    const missing = await call(POD_PATH, {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Pod', metadata: {} },
    });
    expect([missing.status, missing.body.reason]).toEqual([422, 'Invalid']);
    expect(missing.body.details.causes[0]).toMatchObject({
      reason: 'FieldValueRequired',
      field: 'metadata.name',
    });
    const ns = await call('/api/v1/namespaces/ghost/pods', { method: 'POST', body: pod('a') });
    expect([ns.status, ns.body.message]).toEqual([404, 'namespaces "ghost" not found']);
  });

  it('415 for protobuf bodies, with a message saying what to send instead', async () => {
    const { call } = setup();
    const res = await call(POD_PATH, {
      method: 'POST',
      rawBody: 'k8s\u0000',
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
    });
    expect([res.status, res.body.reason]).toEqual([415, 'UnsupportedMediaType']);
    expect(res.body.message).toContain('application/json');
  });

  it('faults.failNext injects statuses for matching requests only, then stops', async () => {
    const { call, cluster } = setup();
    cluster.faults.failNext(500, 2, '/api/v1/pods');
    expect((await call('/api/v1/namespaces')).status).toBe(200);
    const first = await call('/api/v1/pods');
    expect([first.status, first.body.reason]).toEqual([500, 'InternalError']);
    expect((await call('/api/v1/pods')).status).toBe(500);
    expect((await call('/api/v1/pods')).status).toBe(200);
    cluster.faults.failNext(503);
    const unavailable = await call('/version');
    expect([unavailable.status, unavailable.headers['retry-after']]).toEqual([503, '1']);
  });

  it('429 with Retry-After and details.retryAfterSeconds once the rate limit is exceeded', async () => {
    let now = 0;
    const { call } = setup({ rateLimit: { qps: 1, burst: 2 }, now: () => now });
    expect((await call('/version')).status).toBe(200);
    expect((await call('/version')).status).toBe(200);
    const limited = await call('/version');
    expect([limited.status, limited.body.reason, limited.headers['retry-after']]).toEqual([
      429,
      'TooManyRequests',
      '1',
    ]);
    expect(limited.body.details.retryAfterSeconds).toBe(1);
    now += 1000;
    expect((await call('/version')).status).toBe(200);
  });

  it('stalled paths answer only once unstalled; latency delays responses', async () => {
    const { cluster } = setup();
    cluster.faults.stall('/api/v1/pods');
    let answered = false;
    const pending = cluster.handle(buildSimRequest('/api/v1/pods')).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(answered).toBe(false);
    cluster.faults.unstall();
    expect((await pending).status).toBe(200);
    cluster.faults.latencyMs = 40;
    const started = Date.now();
    await cluster.handle(buildSimRequest('/version'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('trickleMs delays every watch chunk; reset() turns every switch off', async () => {
    const { cluster, call } = setup();
    cluster.faults.trickleMs = 60;
    const res = await cluster.handle(buildSimRequest('/api/v1/namespaces', { query: { watch: 'true' } }));
    const it = (res.body as AsyncIterable<string>)[Symbol.asyncIterator]();
    const started = Date.now();
    expect((await it.next()).value).toContain('"ADDED"');
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    await it.return?.();
    cluster.faults.failNext(500, 5);
    cluster.faults.latencyMs = 1000;
    cluster.faults.reset();
    expect((await call('/version')).status).toBe(200);
  });

  it('dropWatchesAfterMs ends watches from the server side', async () => {
    const { cluster } = setup();
    cluster.faults.dropWatchesAfterMs = 20;
    const res = await cluster.handle(
      buildSimRequest('/api/v1/pods', {
        query: { watch: 'true', resourceVersion: cluster.resourceVersion() },
      }),
    );
    const it = (res.body as AsyncIterable<string>)[Symbol.asyncIterator]();
    expect((await it.next()).done).toBe(true);
  });
});

describe('SimWriter', () => {
  it('writes through the same semantics as the API and reports unknown resources as 404', () => {
    const { cluster } = setup();
    const gvr = { group: '', version: 'v1', resource: 'configmaps' };
    const created = cluster.create(gvr, { metadata: { name: 'a', namespace: 'default' }, data: { k: 'v' } });
    expect(cluster.get(gvr, 'default', 'a')).toBe(created);
    expect(cluster.list(gvr, 'default')).toEqual([created]);
    expect(cluster.list(gvr, 'kube-system')).toEqual([]);
    cluster.create({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: 'default-x' } });
    const other = cluster.create(gvr, { metadata: { name: 'a', namespace: 'default-x' } });
    expect(cluster.list(gvr, 'default')).toEqual([created]);
    expect(cluster.list(gvr, 'default-x')).toEqual([other]);
    expect(cluster.list(gvr)).toHaveLength(2);
    cluster.delete(gvr, 'default-x', 'a');
    expect(() => cluster.create(gvr, { metadata: { name: 'a', namespace: 'default' } })).toThrow(
      /already exists/,
    );
    expect(cluster.delete(gvr, 'default', 'nope')).toBeUndefined();
    expect(cluster.delete(gvr, 'default', 'a')?.metadata?.name).toBe('a');
    expect(() => cluster.get({ group: 'x', version: 'v1', resource: 'y' }, '', 'a')).toThrow(
      expect.objectContaining({ code: 404 }),
    );
  });

  it('starts with the default namespaces a real cluster has', () => {
    const { cluster } = setup();
    const names = cluster
      .list({ group: '', version: 'v1', resource: 'namespaces' })
      .map((n) => n.metadata?.name)
      .sort();
    expect(names).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });
});
