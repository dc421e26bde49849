import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { forbiddenStatus } from '../../react/testing/fake-cluster-handlers.ts';
import { fakeClusterSuite } from '../../react/testing/fake-cluster-suite.ts';
import { renderWithCluster } from '../../react/testing/render-with-cluster.tsx';
import { NamespaceSelector } from './namespace-selector.tsx';

const t = fakeClusterSuite({
  setUp: (cluster) =>
    cluster.seed(
      'namespaces',
      ['default', 'kube-system', 'shop'].map((name) => ({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name },
      })),
    ),
});

describe('NamespaceSelector', () => {
  it('preselects the context default and chooses several namespaces, then all', async () => {
    t.rendered = renderWithCluster(<NamespaceSelector />, { search: '?ctx=staging' });
    const button = await screen.findByRole('button', { name: 'Namespaces: web' });
    fireEvent.click(button);
    const dialog = screen.getByRole('dialog', { name: 'Choose namespaces' });
    await within(dialog).findByRole('checkbox', { name: 'shop' });
    expect((within(dialog).getByRole('checkbox', { name: /^web/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'shop' }));
    expect(t.rendered.routeStore.getState().route.namespaces).toEqual({
      kind: 'some',
      names: ['shop', 'web'],
    });
    expect(screen.getByRole('button', { name: 'Namespaces: shop, web' })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'All namespaces' }));
    expect(t.rendered.routeStore.getState().route.namespaces).toEqual({ kind: 'all' });
  });

  it('lets a user who may not list namespaces type one', async () => {
    t.server.use(
      http.get('*/clusters/dev/api/v1/namespaces', () =>
        HttpResponse.json(forbiddenStatus('namespaces', ''), { status: 403 }),
      ),
    );
    t.rendered = renderWithCluster(<NamespaceSelector />, { search: '?ctx=dev' });
    fireEvent.click(await screen.findByRole('button', { name: 'Namespaces: default' }));
    const dialog = screen.getByRole('dialog', { name: 'Choose namespaces' });
    await within(dialog).findByText('You may not list namespaces; type one below.');
    fireEvent.change(within(dialog).getByRole('textbox', { name: 'Add namespace' }), {
      target: { value: 'team-a' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    await waitFor(() =>
      expect(t.rendered?.routeStore.getState().route.namespaces).toEqual({
        kind: 'some',
        names: ['default', 'team-a'],
      }),
    );
  });
});
