import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { fakeClusterSuite } from '../../react/testing/fake-cluster-suite.ts';
import { renderWithCluster } from '../../react/testing/render-with-cluster.tsx';
import { ResourceTree } from './resource-tree.tsx';

const t = fakeClusterSuite();

const tree = () => screen.getByRole('list', { name: 'API resources' });
const resourceItems = () =>
  [...tree().querySelectorAll('.tree-resource')].map((b) => b.getAttribute('aria-label'));

describe('ResourceTree', () => {
  it('lists the core group first, marks the preferred version and shows scope', async () => {
    t.rendered = renderWithCluster(<ResourceTree />, { search: '?ctx=dev' });
    const list = await screen.findByRole('list', { name: 'API resources' });
    const groups = [...list.children].map((li) => li.querySelector('button')?.getAttribute('aria-label'));
    expect(groups[0]).toBe('core');
    expect(groups.slice(1)).toEqual([...groups.slice(1)].sort());
    expect(within(list).getByRole('button', { name: 'Pod (pods)' })).toBeTruthy();
    expect(within(list).getByRole('button', { name: 'Node (nodes)' }).textContent).toMatch('cluster');
    // autoscaling: v2 preferred (listed first), v1 browsable.
    const autoscaling = within(list).getByRole('button', { name: 'autoscaling' });
    expect(autoscaling.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(autoscaling);
    const v2 = within(list).getByRole('button', { name: 'autoscaling v2 (preferred)' });
    expect(v2.getAttribute('aria-expanded')).toBe('true');
    const v1 = within(list).getByRole('button', { name: 'autoscaling v1' });
    expect(v1.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(v1);
    const hpas = within(list).getAllByRole('button', {
      name: 'HorizontalPodAutoscaler (horizontalpodautoscalers)',
    });
    expect(hpas).toHaveLength(2); // one per version
    fireEvent.click(hpas[1]!);
    expect(t.rendered.routeStore.getState().route.gvr).toEqual({
      group: 'autoscaling',
      version: 'v1',
      resource: 'horizontalpodautoscalers',
    });
  });

  it('filters by kubectl short names and group-qualified names, Enter opens the match', async () => {
    t.rendered = renderWithCluster(<ResourceTree />, { search: '?ctx=dev' });
    await screen.findByRole('list', { name: 'API resources' });
    const filter = screen.getByRole('searchbox', { name: 'Filter resources' });
    fireEvent.change(filter, { target: { value: 'deploy' } });
    expect(resourceItems()).toEqual(['Deployment (deployments)']);
    fireEvent.change(filter, { target: { value: 'po' } });
    expect(resourceItems()).toContain('Pod (pods)');
    fireEvent.change(filter, { target: { value: 'widgets.example.com' } });
    expect(resourceItems()).toEqual(['Widget (widgets)']);
    fireEvent.keyDown(filter, { key: 'Enter' });
    expect(t.rendered.routeStore.getState().route.gvr).toEqual({
      group: 'example.com',
      version: 'v1',
      resource: 'widgets',
    });
    fireEvent.change(filter, { target: { value: 'zzz' } });
    expect(screen.getByRole('status').textContent).toMatch('No resource matches “zzz”');
  });

  it('refetches discovery when a CRD is created', async () => {
    let discoveries = 0;
    t.server.events.on('request:start', ({ request }) => {
      if (new URL(request.url).pathname === '/clusters/dev/apis') discoveries++;
    });
    t.rendered = renderWithCluster(<ResourceTree />, { search: '?ctx=dev' });
    await screen.findByRole('list', { name: 'API resources' });
    await waitFor(() => expect(t.cluster.watchers('customresourcedefinitions')).toBe(1));
    const before = discoveries;
    act(() =>
      t.cluster.add('customresourcedefinitions', {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'gadgets.example.com' },
      }),
    );
    await waitFor(() => expect(discoveries).toBe(before + 1), { timeout: 3000 });
    t.server.events.removeAllListeners();
  });

  it('shows a discovery failure with a retry', async () => {
    t.server.use(http.get('*/clusters/dev/apis', () => HttpResponse.text('bad gateway', { status: 502 })));
    t.rendered = renderWithCluster(<ResourceTree />, { search: '?ctx=dev' });
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert.textContent).toMatch('Discovery failed');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeTruthy();
  });
});
