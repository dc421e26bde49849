// Test support (not used by production code): the per-file set-up every component test shares —
// one MSW server (`onUnhandledRequest: 'error'`) in front of a fresh FakeCluster per test, an
// optional fake table viewport, and teardown of whatever the test rendered. Read `t.cluster` and
// assign `t.rendered` inside tests: both are replaced per test.
import { cleanup } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { FakeCluster } from './fake-cluster-handlers.ts';
import { fakeTableViewport, type Rendered } from './render-with-cluster.tsx';

export interface FakeClusterSuite {
  readonly server: ReturnType<typeof setupServer>;
  cluster: FakeCluster;
  rendered: Rendered | undefined;
}

export function fakeClusterSuite(
  opts: { viewport?: boolean; setUp?: (cluster: FakeCluster) => void } = {},
): FakeClusterSuite {
  const t: FakeClusterSuite = { server: setupServer(), cluster: new FakeCluster(), rendered: undefined };
  let restoreViewport = () => {};
  beforeAll(() => t.server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    t.cluster = new FakeCluster();
    t.server.resetHandlers(...t.cluster.handlers());
    if (opts.viewport) restoreViewport = fakeTableViewport();
    opts.setUp?.(t.cluster);
  });
  afterEach(() => {
    t.rendered?.unmount();
    t.rendered = undefined;
    cleanup();
    t.cluster.closeAll();
    restoreViewport();
    restoreViewport = () => {};
  });
  afterAll(() => t.server.close());
  return t;
}
