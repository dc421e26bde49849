import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
});
