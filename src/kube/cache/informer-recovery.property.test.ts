// Randomized: many add/update/delete operations, interleaved with dropped connections, 410s
// (compaction + ERROR events), server restarts with smaller RVs and bookmarks, pushed through
// Reflector -> DeltaFIFO -> Indexer. After every run the indexer must equal the server's state,
// every index must agree with a fresh computation, and a handler replaying the notifications
// (with tombstones) must hold the same keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/types.ts';
import { FakeClock } from '../clock/fake-clock.ts';
import { podIndexers } from './index-funcs.ts';
import type { IndexerReader } from './indexer.ts';
import { SharedIndexInformer } from './shared-informer.ts';
import { DeletedFinalStateUnknown } from './store.ts';
import { expiredStatus, FakeCluster } from './testing/fake-cluster.ts';
import { flush } from './testing/flush.ts';

type Op =
  | { op: 'upsert'; ns: string; name: string; app: string }
  | { op: 'remove'; ns: string; name: string }
  | { op: 'drop' }
  | { op: 'gone' }
  | { op: 'restart' }
  | { op: 'bookmark' }
  | { op: 'time'; ms: number };

const ns = fc.constantFrom('a', 'b');
const name = fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('upsert' as const),
      ns,
      name,
      app: fc.constantFrom('web', 'db', 'cache'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('remove' as const), ns, name }) },
  { weight: 1, arbitrary: fc.constant({ op: 'drop' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'gone' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'restart' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'bookmark' as const }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('time' as const), ms: fc.integer({ min: 0, max: 40_000 }) }),
  },
);

function indexesConsistent(reader: IndexerReader): void {
  const items = reader.list();
  for (const [indexName, fn] of Object.entries(reader.getIndexers())) {
    const expected = new Map<string, string[]>();
    for (const obj of items) {
      const key = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
      for (const v of fn(obj)) expected.set(v, [...(expected.get(v) ?? []), key]);
    }
    expect(reader.listIndexFuncValues(indexName).sort()).toEqual(Array.from(expected.keys()).sort());
    for (const [value, keys] of expected)
      expect(reader.indexKeys(indexName, value).sort()).toEqual(keys.sort());
  }
}

async function runScenario(ops: Op[], useWatchList: boolean): Promise<void> {
  const cluster = new FakeCluster();
  const clock = new FakeClock(0);
  let seed = 1;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return (seed - 1) / 2147483646;
  };
  const informer = new SharedIndexInformer(cluster, {
    clock,
    random,
    indexers: podIndexers(),
    warn: () => {},
    reflector: { useWatchList, pageSize: 2 },
  });
  const mirror = new Map<string, string>();
  const keyOf = (o: KubeObject) => `${o.metadata?.namespace}/${o.metadata?.name}`;
  informer.addEventHandler({
    onAdd: (o) => void mirror.set(keyOf(o), o.metadata?.resourceVersion ?? ''),
    onUpdate: (_o, n) => void mirror.set(keyOf(n), n.metadata?.resourceVersion ?? ''),
    onDelete: (o) => void mirror.delete(o instanceof DeletedFinalStateUnknown ? o.key : keyOf(o)),
  });
  informer.setWatchErrorHandler(() => {});
  const stop = new AbortController();
  const done = informer.run(stop.signal);
  await flush();
  let restartRV = 1;
  for (const op of ops) {
    switch (op.op) {
      case 'upsert':
        cluster.upsert(op.ns, op.name, { metadata: { labels: { app: op.app } } });
        break;
      case 'remove':
        cluster.remove(op.ns, op.name);
        break;
      case 'drop':
        clock.step(1500); // not a very short watch
        cluster.closeWatches();
        break;
      case 'gone':
        cluster.compact();
        cluster.errorWatches(expiredStatus());
        break;
      case 'restart':
        restartRV += 1;
        cluster.restartWithSmallerRV(restartRV);
        break;
      case 'bookmark':
        cluster.bookmark();
        break;
      case 'time':
        await clock.advance(op.ms);
        break;
    }
    await flush(1);
  }
  // Let every recovery finish: backoffs are at most 60 s, each round needs a flush.
  const state = () =>
    new Map(
      informer
        .getIndexer()
        .list()
        .map((o) => [keyOf(o), o.metadata?.resourceVersion ?? '']),
    );
  for (
    let i = 0;
    i < 20 && !(informer.hasSynced() && equalMaps(state(), cluster.state()) && cluster.openWatchCount() > 0);
    i++
  ) {
    await clock.advance(61_000);
    await flush(2);
  }
  await flush(2);
  expect(state()).toEqual(cluster.state());
  expect(new Set(mirror.keys())).toEqual(new Set(cluster.state().keys()));
  indexesConsistent(informer.getIndexer());
  stop.abort();
  await done;
}

function equalMaps(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

describe('Reflector -> DeltaFIFO -> Indexer under random operations and failures', () => {
  it.each([false, true])(
    'the store equals the server after every recovery (streaming lists: %s)',
    async (useWatchList) => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) =>
          runScenario(ops, useWatchList),
        ),
        { numRuns: 60 },
      );
    },
  );
});
