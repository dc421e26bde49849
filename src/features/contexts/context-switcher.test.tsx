import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeCluster } from '../../react/testing/fake-cluster-handlers.ts';
import { type Rendered, renderWithCluster } from '../../react/testing/render-with-cluster.tsx';
import { ContextBanner } from './context-banner.tsx';
import { ContextSwitcher } from './context-switcher.tsx';

const cluster = new FakeCluster();
const server = setupServer();
let rendered: Rendered | undefined;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => server.resetHandlers(...cluster.handlers()));
afterEach(() => {
  rendered?.unmount();
  rendered = undefined;
  cleanup();
});
afterAll(() => server.close());

describe('ContextSwitcher', () => {
  it('lists the current context first with each context state, and switches', async () => {
    cluster.contexts = {
      current: 'dev',
      contexts: [
        { name: 'alpha', cluster: 'a', server: 'https://a:6443', namespace: 'default', user: 'u' },
        {
          name: 'dev',
          cluster: 'kind-dev',
          server: 'https://127.0.0.1:6443',
          namespace: 'default',
          user: 'kind',
        },
        { name: 'expired', cluster: 'e', server: 'https://e:6443', namespace: 'default', user: 'old' },
        { name: 'locked', cluster: 'l', server: 'https://l:6443', namespace: 'default', user: 'viewer' },
        {
          name: 'broken',
          cluster: 'b',
          server: 'https://b:6443',
          namespace: 'default',
          user: 'u',
          error: 'certificate file missing',
        },
      ],
    };
    server.use(
      http.get('*/clusters/expired/version', () =>
        HttpResponse.json(
          { kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401, message: 'token expired' },
          { status: 401 },
        ),
      ),
      http.get('*/clusters/locked/version', () =>
        HttpResponse.json(
          { kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403, message: 'forbidden' },
          { status: 403 },
        ),
      ),
      http.get('*/clusters/alpha/version', () => HttpResponse.error()),
    );
    rendered = renderWithCluster(<ContextSwitcher />, { search: '?ctx=dev' });
    const button = await screen.findByRole('button', { name: 'Context: dev' });
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    act(() => button.click());
    const list = screen.getByRole('listbox', { name: 'Contexts' });
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.querySelector('.context-name')?.firstChild?.textContent)).toEqual([
      'dev',
      'alpha',
      'broken',
      'expired',
      'locked',
    ]);
    expect(options[0]?.getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(options[0]?.textContent).toMatch('connected · v1.31.0'));
    await waitFor(() => expect(options[1]?.textContent).toMatch('unreachable'));
    expect(options[2]?.textContent).toMatch('misconfigured: certificate file missing');
    expect(options[2]?.getAttribute('aria-disabled')).toBe('true');
    await waitFor(() => expect(options[3]?.textContent).toMatch('credentials expired'));
    await waitFor(() => expect(options[4]?.textContent).toMatch('forbidden'));

    act(() => options[1]?.click());
    expect(rendered.routeStore.getState().route.context).toBe('alpha');
    expect(rendered.routeStore.getState().route.namespaces).toEqual({ kind: 'default' });
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('reports a failed context list with a retry', async () => {
    let fail = true;
    server.use(
      http.get('*/-/contexts', () => (fail ? HttpResponse.text('proxy down', { status: 502 }) : undefined)),
    );
    rendered = renderWithCluster(<ContextSwitcher />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch('Could not load contexts');
    fail = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });
});

describe('ContextSwitcher with 200 contexts, 20 of them unreachable', () => {
  const original = cluster.contexts;
  afterEach(() => {
    cluster.contexts = original;
  });
  const many = () => {
    const contexts = Array.from({ length: 200 }, (_, i) => {
      const down = i >= 180;
      const name = down
        ? `unreachable-${String(i - 180).padStart(2, '0')}`
        : `team-${String(i).padStart(3, '0')}`;
      return {
        name,
        cluster: `c-${name}`,
        server: `https://127.0.0.1:${7000 + i}`,
        namespace: 'default',
        user: 'u',
      };
    });
    cluster.contexts = { current: 'team-000', contexts };
  };

  /** Answers /version: unreachable-* hang until released (a silent cluster); the rest at once. */
  function versionHandlers() {
    const probed: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const release: Array<() => void> = [];
    server.use(
      http.get('*/clusters/:ctx/version', async ({ params }) => {
        const ctx = String(params.ctx);
        probed.push(ctx);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          if (ctx.startsWith('unreachable-')) {
            await new Promise<void>((r) => release.push(r));
            return HttpResponse.json(
              {
                kind: 'Status',
                status: 'Failure',
                code: 502,
                reason: 'ServiceUnavailable',
                message: `context "${ctx}": cannot reach https://127.0.0.1:1: ECONNREFUSED`,
              },
              { status: 502 },
            );
          }
          return HttpResponse.json({ gitVersion: 'v1.31.0' });
        } finally {
          inFlight--;
        }
      }),
    );
    return {
      probed,
      maxInFlight: () => maxInFlight,
      releaseAll: () => {
        for (const r of release.splice(0)) r();
      },
    };
  }

  async function openPicker() {
    const button = await screen.findByRole('button', { name: 'Context: team-000' });
    await waitFor(() => expect((button as HTMLButtonElement).disabled).toBe(false));
    act(() => button.click());
    return screen.getByRole('listbox', { name: 'Contexts' });
  }

  it('probes only the rendered screenful, never the whole list', async () => {
    many();
    const versions = versionHandlers();
    rendered = renderWithCluster(<ContextSwitcher />, { search: '?ctx=team-000' });
    const list = await openPicker();
    const options = within(list).getAllByRole('option');
    expect(options.length).toBeGreaterThan(3);
    expect(options.length).toBeLessThan(20);
    expect(screen.getByText('200 contexts')).toBeTruthy();
    await waitFor(() => expect(options[options.length - 1]?.textContent).toMatch('connected'));
    expect(new Set(versions.probed).size).toBe(options.length);
    expect(versions.probed.every((c) => c.startsWith('team-'))).toBe(true);
  });

  it('finds a context by search; silent ones never hold more than PROBES_IN_FLIGHT probes', async () => {
    many();
    const versions = versionHandlers();
    rendered = renderWithCluster(<ContextSwitcher />, { search: '?ctx=team-000' });
    const list = await openPicker();
    const search = screen.getByRole('searchbox', { name: 'Search contexts' });
    fireEvent.change(search, { target: { value: 'unreachable' } });
    expect(screen.getByText('20 of 200 contexts')).toBeTruthy();
    const unreachable = within(list).getAllByRole('option');
    expect(unreachable.every((o) => o.textContent?.startsWith('unreachable-'))).toBe(true);
    // Every rendered unreachable row waits for its probe; only PROBES_IN_FLIGHT of them reach the network.
    await waitFor(() => expect(versions.probed.filter((c) => c.startsWith('unreachable-')).length).toBe(3));
    await new Promise((r) => setTimeout(r, 50));
    expect(versions.maxInFlight()).toBeLessThanOrEqual(3);
    fireEvent.change(search, { target: { value: 'team-150' } });
    expect(screen.getByText('1 of 200 contexts')).toBeTruthy();
    const [only] = within(list).getAllByRole('option');
    expect(only?.textContent).toMatch(/^team-150/);
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(rendered.routeStore.getState().route.context).toBe('team-150');
    expect(screen.queryByRole('listbox')).toBeNull();
    versions.releaseAll();
  });

  it('moves through the list with the arrow keys and chooses with Enter', async () => {
    many();
    versionHandlers();
    rendered = renderWithCluster(<ContextSwitcher />, { search: '?ctx=team-000' });
    await openPicker();
    const search = screen.getByRole('searchbox', { name: 'Search contexts' });
    fireEvent.change(search, { target: { value: 'team-00' } });
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    fireEvent.keyDown(search, { key: 'ArrowUp' });
    const active = document.getElementById(search.getAttribute('aria-activedescendant') ?? '');
    expect(active?.textContent).toMatch(/^team-001/);
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(rendered.routeStore.getState().route.context).toBe('team-001');
  });

  it('closes on Escape and gives the focus back to the switcher button', async () => {
    many();
    versionHandlers();
    rendered = renderWithCluster(<ContextSwitcher />, { search: '?ctx=team-000' });
    await openPicker();
    const search = screen.getByRole('searchbox', { name: 'Search contexts' });
    expect(document.activeElement).toBe(search);
    fireEvent.keyDown(search, { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Context: team-000' }));
    expect(rendered.routeStore.getState().route.context).toBe('team-000');
  });
});

describe('ContextBanner', () => {
  it('shows unreachable with the error and retries on request', async () => {
    let down = true;
    server.use(
      http.get('*/clusters/dev/version', () =>
        down
          ? HttpResponse.json(
              {
                kind: 'Status',
                status: 'Failure',
                code: 503,
                reason: 'ServiceUnavailable',
                message: 'dial tcp 127.0.0.1:6443: connect: connection refused',
              },
              { status: 503 },
            )
          : undefined,
      ),
    );
    rendered = renderWithCluster(<ContextBanner />, { search: '?ctx=dev' });
    expect(screen.getByRole('status').textContent).toMatch('Connecting to dev');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch('dev is unreachable');
    expect(alert.textContent).toMatch('connection refused');
    down = false;
    fireEvent.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('says when credentials expired', async () => {
    server.use(
      http.get('*/clusters/dev/version', () =>
        HttpResponse.json(
          { kind: 'Status', status: 'Failure', code: 401, reason: 'Unauthorized', message: 'Unauthorized' },
          { status: 401 },
        ),
      ),
    );
    rendered = renderWithCluster(<ContextBanner />, { search: '?ctx=dev' });
    expect((await screen.findByRole('alert')).textContent).toMatch('The credentials for dev expired');
  });

  it("says when the selected context stays silent, then shows the proxy's verdict", async () => {
    let answer: (() => void) | undefined;
    server.use(
      http.get('*/clusters/dev/version', async () => {
        await new Promise<void>((r) => {
          answer = r;
        });
        return HttpResponse.json(
          {
            kind: 'Status',
            status: 'Failure',
            code: 502,
            reason: 'ServiceUnavailable',
            message: 'context "dev": credentials failed: exec plugin "login" timed out after 30000 ms',
          },
          { status: 502 },
        );
      }),
    );
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      rendered = renderWithCluster(<ContextBanner />, { search: '?ctx=dev' });
      const status = await screen.findByRole('status');
      expect(status.textContent).toBe('Connecting to dev…');
      await waitFor(() => expect(answer).toBeDefined());
      await act(async () => {
        await vi.advanceTimersByTimeAsync(10_000);
      });
      expect(screen.getByRole('status').textContent).toMatch('not responding');
      answer?.();
      const alert = await screen.findByRole('alert');
      expect(alert.textContent).toMatch('dev is unreachable');
      expect(alert.textContent).toMatch('exec plugin "login" timed out');
    } finally {
      vi.useRealTimers();
    }
  });
});
