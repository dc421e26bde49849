// Test support (not used by production code): one MSW server per test file serving the real
// discovery fixtures at `base`, with a fresh FixtureState per test (read it as `fx.state`: the
// object is replaced before each test) and `onUnhandledRequest: 'error'`.
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { discoveryHandlers, type FixtureState, newFixtureState } from './discovery-fixture-handlers.ts';

export function serveDiscoveryFixtures(base: string) {
  const server = setupServer();
  const fx = { server, state: newFixtureState() as FixtureState };
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    fx.state = newFixtureState();
    server.use(...discoveryHandlers(base, fx.state));
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return fx;
}
