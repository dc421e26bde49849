import { describe, expect, it } from 'vitest';
import { ClusterStore, type StoreEvent } from './object-store.ts';
import { Registry, type ResourceInfo } from './registry.ts';
import { SimStatusError } from './status.ts';

const registry = new Registry();
const info = (group: string, version: string, resource: string) =>
  registry.lookup(group, version, resource) as ResourceInfo;
const NS = info('', 'v1', 'namespaces');
const PODS = info('', 'v1', 'pods');
const CM = info('', 'v1', 'configmaps');
const DEPLOY = info('apps', 'v1', 'deployments');

function newStore(opts: { historyWindow?: number; historyWindowMs?: number; now?: () => number } = {}) {
  let uid = 0;
  const store = new ClusterStore({
    historyWindow: opts.historyWindow ?? 100,
    historyWindowMs: opts.historyWindowMs ?? Number.POSITIVE_INFINITY,
    now: opts.now ?? (() => Date.UTC(2026, 0, 2, 3, 4, 5)),
    uid: () => `uid-${++uid}`,
  });
  store.create(NS, { metadata: { name: 'default' } }, '');
  return store;
}

function statusOf(fn: () => unknown): SimStatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SimStatusError) return err;
    throw err;
  }
  throw new Error('expected a Status error');
}

describe('ClusterStore', () => {
  it('assigns uid, creationTimestamp, generation and one global increasing RV', () => {
    const store = newStore();
    const a = store.create(CM, { metadata: { name: 'a' }, data: { k: 'v' } }, 'default');
    const b = store.create(DEPLOY, { metadata: { name: 'b' }, spec: { replicas: 1 } }, 'default');
    expect(a.metadata).toMatchObject({
      name: 'a',
      namespace: 'default',
      uid: 'uid-2',
      generation: 1,
      creationTimestamp: '2026-01-02T03:04:05Z',
    });
    expect(a.apiVersion).toBe('v1');
    expect(b.kind).toBe('Deployment');
    expect(Number(b.metadata?.resourceVersion)).toBe(Number(a.metadata?.resourceVersion) + 1);
    expect(store.rv).toBe(3);
  });

  it('stores objects frozen so readers cannot corrupt them', () => {
    const store = newStore();
    const a = store.create(CM, { metadata: { name: 'a' } }, 'default');
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.metadata)).toBe(true);
  });

  it('refuses a duplicate with 409 AlreadyExists and a missing namespace with 404', () => {
    const store = newStore();
    store.create(CM, { metadata: { name: 'a' } }, 'default');
    const dup = statusOf(() => store.create(CM, { metadata: { name: 'a' } }, 'default'));
    expect([dup.code, dup.reason, dup.message]).toEqual([
      409,
      'AlreadyExists',
      'configmaps "a" already exists',
    ]);
    const missing = statusOf(() => store.create(CM, { metadata: { name: 'a' } }, 'nope'));
    expect([missing.code, missing.reason, missing.message]).toEqual([
      404,
      'NotFound',
      'namespaces "nope" not found',
    ]);
    expect(store.rv).toBe(2);
  });

  it('generates names from generateName', () => {
    const store = newStore();
    const obj = store.create(PODS, { metadata: { generateName: 'web-' } }, 'default');
    expect(obj.metadata?.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('answers a missing name with 422 Invalid and a cause on metadata.name', () => {
    const err = statusOf(() => newStore().create(CM, { metadata: {} }, 'default'));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.status.details?.causes?.[0]).toMatchObject({
      reason: 'FieldValueRequired',
      field: 'metadata.name',
    });
  });

  it('rejects invalid names and labels with 422', () => {
    const store = newStore();
    expect(statusOf(() => store.create(CM, { metadata: { name: 'Bad_Name' } }, 'default')).code).toBe(422);
    expect(
      statusOf(() => store.create(CM, { metadata: { name: 'ok', labels: { 'a b': 'x' } } }, 'default')).code,
    ).toBe(422);
    expect(statusOf(() => store.create(NS, { metadata: { name: 'has.dot' } }, '')).code).toBe(422);
    expect(store.rv).toBe(1);
  });

  it('TE-10: update with a stale resourceVersion is 409 Conflict; without one it is unconditional', () => {
    const store = newStore();
    const a = store.create(CM, { metadata: { name: 'a' }, data: { k: '1' } }, 'default');
    const b = store.update(CM, { ...a, data: { k: '2' } }, 'default', 'whole');
    const stale = statusOf(() => store.update(CM, { ...a, data: { k: '3' } }, 'default', 'whole'));
    expect([stale.code, stale.reason]).toEqual([409, 'Conflict']);
    expect(stale.message).toContain('the object has been modified');
    const c = store.update(CM, { metadata: { name: 'a' }, data: { k: '4' } }, 'default', 'whole');
    expect(c.data).toEqual({ k: '4' });
    expect(c.metadata?.uid).toBe(a.metadata?.uid);
    expect(c.metadata?.creationTimestamp).toBe(a.metadata?.creationTimestamp);
    expect(Number(c.metadata?.resourceVersion)).toBeGreaterThan(Number(b.metadata?.resourceVersion));
  });

  it('bumps generation on spec changes only, and writes nothing for a no-op update', () => {
    const store = newStore();
    const d = store.create(DEPLOY, { metadata: { name: 'd' }, spec: { replicas: 1 } }, 'default');
    const labelled = store.update(
      DEPLOY,
      { ...d, metadata: { ...d.metadata, labels: { a: 'b' } } },
      'default',
      'main',
    );
    expect(labelled.metadata?.generation).toBe(1);
    const scaled = store.update(DEPLOY, { ...labelled, spec: { replicas: 3 } }, 'default', 'main');
    expect(scaled.metadata?.generation).toBe(2);
    const statusOnly = store.update(DEPLOY, { ...scaled, status: { replicas: 3 } }, 'default', 'status');
    expect(statusOnly.metadata?.generation).toBe(2);
    expect(statusOnly.status).toEqual({ replicas: 3 });
    const rv = store.rv;
    const same = store.update(DEPLOY, { ...statusOnly }, 'default', 'main');
    expect(same).toBe(statusOnly);
    expect(store.rv).toBe(rv);
  });

  it('a main-resource update keeps the stored status; a status update keeps the spec', () => {
    const store = newStore();
    const d = store.create(
      DEPLOY,
      { metadata: { name: 'd' }, spec: { replicas: 1 }, status: { ready: 1 } },
      'default',
    );
    const main = store.update(
      DEPLOY,
      { ...d, spec: { replicas: 2 }, status: { ready: 99 } },
      'default',
      'main',
    );
    expect(main.status).toEqual({ ready: 1 });
    const status = store.update(
      DEPLOY,
      { ...main, spec: { replicas: 7 }, status: { ready: 2 } },
      'default',
      'status',
    );
    expect(status.spec).toEqual({ replicas: 2 });
    expect(status.status).toEqual({ ready: 2 });
  });

  it('delete honours uid and resourceVersion preconditions with 409', () => {
    const store = newStore();
    const a = store.create(CM, { metadata: { name: 'a' } }, 'default');
    expect(statusOf(() => store.delete(CM, 'default', 'a', { uid: 'other' })).code).toBe(409);
    expect(statusOf(() => store.delete(CM, 'default', 'a', { resourceVersion: '1' })).code).toBe(409);
    const gone = store.delete(CM, 'default', 'a', {
      uid: a.metadata?.uid,
      resourceVersion: a.metadata?.resourceVersion,
    });
    expect(gone.metadata?.resourceVersion).toBe(String(store.rv));
    expect(store.get(CM, 'default', 'a')).toBeUndefined();
    expect(statusOf(() => store.delete(CM, 'default', 'a')).code).toBe(404);
  });

  it('deleting a namespace deletes its objects, each with a DELETED event, and nothing else', () => {
    const store = newStore();
    store.create(NS, { metadata: { name: 'team' } }, '');
    store.create(NS, { metadata: { name: 'team-b' } }, '');
    store.create(CM, { metadata: { name: 'a' } }, 'team');
    store.create(PODS, { metadata: { name: 'p' } }, 'team');
    store.create(CM, { metadata: { name: 'keep' } }, 'team-b');
    const events: StoreEvent[] = [];
    store.store(CM).listeners.add((e) => events.push(e));
    store.store(PODS).listeners.add((e) => events.push(e));
    store.delete(NS, '', 'team');
    expect(events.map((e) => [e.type, e.key])).toEqual([
      ['DELETED', 'team/a'],
      ['DELETED', 'team/p'],
    ]);
    expect(store.get(CM, 'team-b', 'keep')).toBeDefined();
    expect(store.get(NS, '', 'team')).toBeUndefined();
  });

  it('dryRun validates but neither persists nor advances the RV', () => {
    const store = newStore();
    const rv = store.rv;
    const obj = store.create(CM, { metadata: { name: 'a' } }, 'default', true);
    expect(obj.metadata?.name).toBe('a');
    expect(store.get(CM, 'default', 'a')).toBeUndefined();
    expect(store.rv).toBe(rv);
    expect(statusOf(() => store.create(CM, { metadata: {} }, 'default', true)).code).toBe(422);
  });

  it('keeps at most historyWindow events and moves the horizon past evicted ones', () => {
    const store = newStore({ historyWindow: 3 });
    for (let i = 0; i < 5; i++) store.create(CM, { metadata: { name: `c${i}` } }, 'default');
    const s = store.store(CM);
    expect(s.historyLength).toBe(3);
    expect(s.horizon).toBe(3);
    expect(s.eventsAfter(3).map((e) => e.rv)).toEqual([4, 5, 6]);
    expect(s.eventsAfter(5).map((e) => e.rv)).toEqual([6]);
  });

  it('evicts history older than historyWindowMs', () => {
    let now = 1_000_000;
    const store = newStore({ historyWindowMs: 1000, now: () => now });
    store.create(CM, { metadata: { name: 'old' } }, 'default');
    now += 5000;
    store.create(CM, { metadata: { name: 'new' } }, 'default');
    expect(
      store
        .store(CM)
        .eventsAfter(0)
        .map((e) => e.key),
    ).toEqual(['default/new']);
    expect(store.store(CM).horizon).toBe(2);
  });

  it('fresh() trims history by age even when nothing was written since', () => {
    let now = 1_000_000;
    const store = newStore({ historyWindowMs: 1000, now: () => now });
    store.create(CM, { metadata: { name: 'old' } }, 'default');
    now += 5000;
    expect(store.store(CM).historyLength).toBe(1);
    expect(store.fresh(CM).historyLength).toBe(0);
    expect(store.store(CM).horizon).toBe(2);
  });

  it('compact() drops every history so resumes from earlier RVs are too old', () => {
    const store = newStore();
    store.create(CM, { metadata: { name: 'a' } }, 'default');
    store.compact();
    expect(store.store(CM).historyLength).toBe(0);
    expect(store.store(CM).horizon).toBe(store.rv);
  });
});
