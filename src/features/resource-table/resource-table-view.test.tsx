import { act, screen, waitFor, within } from '@testing-library/react';
import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { forbiddenStatus, pod } from '../../react/testing/fake-cluster-handlers.ts';
import { fakeClusterSuite } from '../../react/testing/fake-cluster-suite.ts';
import { renderWithCluster } from '../../react/testing/render-with-cluster.tsx';
import { ResourceTableView } from './resource-table-view.tsx';

const t = fakeClusterSuite({ viewport: true });

const PODS = '?ctx=dev&r=v1%2Fpods';
const bodyRows = () => within(screen.getByRole('rowgroup', { name: 'pods rows' })).queryAllByRole('row');

describe('ResourceTableView', () => {
  it('shows the loading state while the first list is in flight', async () => {
    t.server.use(
      http.get('*/clusters/dev/api/v1/namespaces/default/pods', async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    t.rendered = renderWithCluster(<ResourceTableView />, { search: PODS });
    const status = await screen.findByText('Listing pods…');
    expect(status.closest('[role="status"]')?.getAttribute('aria-busy')).toBe('true');
  });

  it('shows the empty state for a namespace with no objects', async () => {
    t.rendered = renderWithCluster(<ResourceTableView />, { search: PODS });
    expect(await screen.findByText('No pods in namespace default')).toBeTruthy();
    expect(screen.getByRole('status', { name: 'sync status' }).textContent).toMatch(/synced at RV \d+/);
  });

  it('R-12/403: shows forbidden as such and does not retry on its own', async () => {
    let lists = 0;
    t.server.use(
      http.get('*/clusters/dev/api/v1/namespaces/default/pods', () => {
        lists++;
        return HttpResponse.json(forbiddenStatus('pods', 'default'), { status: 403 });
      }),
    );
    t.rendered = renderWithCluster(<ResourceTableView />, { search: PODS });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch('You may not list pods in default');
    expect(alert.textContent).toMatch('cannot list resource "pods"');
    const seen = lists;
    await new Promise((r) => setTimeout(r, 1500));
    expect(lists).toBe(seen); // no error storm: nothing retried by itself
  });

  it('shows a failed first list with the error and a working retry', async () => {
    let fail = true;
    t.server.use(
      http.get('*/clusters/dev/api/v1/namespaces/default/pods', ({ request }) => {
        if (!fail || new URL(request.url).searchParams.get('watch') === 'true') return undefined;
        return HttpResponse.text('upstream connect error', { status: 502 });
      }),
    );
    t.cluster.seed('pods', [pod('default', 'web-1')]);
    t.rendered = renderWithCluster(<ResourceTableView />, { search: PODS });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch('Listing pods failed');
    expect(alert.textContent).toMatch('upstream connect error');
    fail = false;
    act(() => within(alert).getByRole('button', { name: 'Retry' }).click());
    expect(await screen.findByText('web-1')).toBeTruthy();
  });

  it('renders only a window of a 10,000-row table', async () => {
    t.cluster.seed(
      'pods',
      Array.from({ length: 10_000 }, (_, i) => pod('default', `pod-${String(i).padStart(5, '0')}`)),
    );
    t.rendered = renderWithCluster(<ResourceTableView />, { search: PODS });
    expect(await screen.findByText('pod-00000', {}, { timeout: 10_000 })).toBeTruthy();
    expect(screen.getByLabelText('row count').textContent).toMatch('10000 items');
    expect(screen.getByRole('grid', { name: 'pods' })?.getAttribute('aria-rowcount')).toBe('10001');
    const rows = bodyRows();
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThan(60);
    expect(screen.queryByText('pod-09999')).toBeNull();
  });

  it('highlights added and modified rows and fades deleted ones', async () => {
    t.cluster.seed('pods', [pod('default', 'api-1'), pod('default', 'api-2')]);
    t.rendered = renderWithCluster(<ResourceTableView />, { search: PODS });
    await screen.findByText('api-2');
    await waitFor(() => expect(t.cluster.watchers('pods')).toBe(1));

    act(() => t.cluster.add('pods', pod('default', 'api-3')));
    const added = (await screen.findByText('api-3')).closest('[role="row"]');
    expect(added?.getAttribute('data-flash')).toBe('added');

    act(() => t.cluster.modify('pods', pod('default', 'api-1', { phase: 'Failed', restarts: 4 })));
    await waitFor(() =>
      expect(screen.getByText('Failed').closest('[role="row"]')?.getAttribute('data-flash')).toBe('modified'),
    );
    expect(screen.getByText('api-2').closest('[role="row"]')?.getAttribute('data-flash')).toBeNull();

    act(() => t.cluster.remove('pods', 'default', 'api-2'));
    await waitFor(() =>
      expect(screen.getByText('api-2').closest('[role="row"]')?.getAttribute('data-flash')).toBe('deleted'),
    );
    expect(screen.getByLabelText('row count').textContent).toMatch('2 items');
    // After the fade the row is gone.
    await waitFor(() => expect(screen.queryByText('api-2')).toBeNull(), { timeout: 4000 });
  });

  it('sorts by a column and filters rows by text', async () => {
    t.cluster.seed('pods', [
      pod('default', 'b-1', { restarts: 5 }),
      pod('default', 'a-1', { restarts: 9 }),
      pod('default', 'c-1'),
    ]);
    t.rendered = renderWithCluster(<ResourceTableView />, { search: PODS });
    await screen.findByText('c-1');
    const names = () => bodyRows().map((r) => within(r).getAllByRole('gridcell')[0]?.textContent);
    expect(names()).toEqual(['a-1', 'b-1', 'c-1']);
    act(() => screen.getByRole('button', { name: /^Name/ }).click());
    expect(names()).toEqual(['c-1', 'b-1', 'a-1']);
    const filter = screen.getByRole('searchbox', { name: 'Filter rows' });
    const { fireEvent } = await import('@testing-library/react');
    fireEvent.change(filter, { target: { value: 'b-' } });
    expect(names()).toEqual(['b-1']);
    expect(screen.getByLabelText('row count').textContent).toMatch('1 of 3 items');
  });

  it('applies the label selector server-side and records it in the URL', async () => {
    const seen: string[] = [];
    t.server.events.on('request:start', ({ request }) => {
      if (request.url.includes('/pods'))
        seen.push(new URL(request.url).searchParams.get('labelSelector') ?? '');
    });
    t.cluster.seed('pods', [pod('default', 'web-1'), pod('default', 'db-1')]);
    t.rendered = renderWithCluster(<ResourceTableView />, { search: `${PODS}&l=app%3Ddb` });
    expect(await screen.findByText('db-1')).toBeTruthy();
    expect(screen.queryByText('web-1')).toBeNull();
    expect(seen.every((s) => s === 'app=db')).toBe(true);
    expect((screen.getByRole('textbox', { name: 'Label selector' }) as HTMLInputElement).value).toBe(
      'app=db',
    );
    t.server.events.removeAllListeners();
  });
});
