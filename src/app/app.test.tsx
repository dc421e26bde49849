import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { pod } from '../react/testing/fake-cluster-handlers.ts';
import { fakeClusterSuite } from '../react/testing/fake-cluster-suite.ts';
import { renderWithCluster } from '../react/testing/render-with-cluster.tsx';
import { formatRoute } from '../stores/route-url.ts';
import { uiStore } from '../stores/ui-store.ts';
import { App } from './app.tsx';

const t = fakeClusterSuite({
  viewport: true,
  setUp: () => uiStore.setState({ paletteOpen: false, deltaLogOpen: true }),
});

const route = () => t.rendered!.routeStore.getState().route;

describe('App', () => {
  it('opens on the current context and pods when the URL names nothing', async () => {
    t.cluster.seed('pods', [pod('default', 'web-1')]);
    t.rendered = renderWithCluster(<App />);
    // The first render in the file pays module warm-up (contexts → discovery → list), so it gets
    // more than findBy's 1 s default on a loaded machine.
    expect(await screen.findByText('web-1', {}, { timeout: 5000 })).toBeTruthy();
    expect(formatRoute(route())).toBe('?ctx=dev&r=v1%2Fpods');
    expect(screen.getByRole('button', { name: 'Context: dev' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Namespaces: default' })).toBeTruthy();
  });

  it('lands a deep link on the same view: resource, selection and its live YAML', async () => {
    t.cluster.seed('pods', [
      {
        ...pod('default', 'web-1'),
        metadata: {
          namespace: 'default',
          name: 'web-1',
          labels: { app: 'web' },
          managedFields: [{ manager: 'kubelet', operation: 'Update' }],
        },
      },
    ]);
    t.rendered = renderWithCluster(<App />, { search: '?ctx=dev&r=v1%2Fpods&o=default%2Fweb-1' });
    const details = await screen.findByRole('complementary', { name: 'Object details' });
    await waitFor(() =>
      expect(within(details).getByRole('region', { name: 'Labels' }).textContent).toMatch('appweb'),
    );
    fireEvent.click(within(details).getByRole('tab', { name: 'YAML' }));
    const yaml = within(details).getByLabelText('YAML of web-1');
    expect(yaml.textContent).toMatch('name: web-1');
    expect(yaml.textContent).not.toMatch('managedFields');
    fireEvent.click(within(details).getByRole('checkbox', { name: /Show managedFields \(1\)/ }));
    expect(within(details).getByLabelText('YAML of web-1').textContent).toMatch('manager: kubelet');
    // Live: a change on the server shows up in the open YAML.
    await waitFor(() => expect(t.cluster.watchers('pods')).toBeGreaterThan(0));
    act(() => t.cluster.modify('pods', pod('default', 'web-1', { phase: 'Succeeded' })));
    await waitFor(() =>
      expect(within(details).getByLabelText('YAML of web-1').textContent).toMatch('phase: Succeeded'),
    );
    // Esc goes back.
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(route().selected).toBeNull();
    expect(screen.queryByRole('complementary', { name: 'Object details' })).toBeNull();
  });

  it('moves with j/k and opens with Enter', async () => {
    t.cluster.seed('pods', [pod('default', 'a-1'), pod('default', 'b-1'), pod('default', 'c-1')]);
    t.rendered = renderWithCluster(<App />, { search: '?ctx=dev&r=v1%2Fpods' });
    await screen.findByText('c-1');
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(document.body, { key: 'j' });
    expect(route().selected).toEqual({ namespace: 'default', name: 'b-1' });
    fireEvent.keyDown(document.body, { key: 'k' });
    expect(route().selected).toEqual({ namespace: 'default', name: 'a-1' });
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Filter rows');
  });

  it('Ctrl-K jumps to a resource by short name and to an object by name', async () => {
    t.cluster.seed('pods', [pod('default', 'checkout-7f9c')]);
    t.rendered = renderWithCluster(<App />, { search: '?ctx=dev&r=v1%2Fpods' });
    await screen.findByText('checkout-7f9c');
    fireEvent.keyDown(document.body, { key: 'k', ctrlKey: true });
    const palette = await screen.findByRole('dialog', { name: 'Command palette' });
    const input = within(palette).getByRole('combobox', { name: 'Jump to resource or object' });
    fireEvent.change(input, { target: { value: 'checkout' } });
    const options = within(palette).getAllByRole('option');
    expect(options.some((o) => o.textContent?.includes('checkout-7f9c'))).toBe(true);
    fireEvent.change(input, { target: { value: 'deploy' } });
    await waitFor(() => expect(within(palette).getAllByRole('option')[0]?.textContent).toMatch('Deployment'));
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(route().gvr).toEqual({ group: 'apps', version: 'v1', resource: 'deployments' });
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull();
  });

  it('logs the view’s watch events with their types', async () => {
    t.cluster.seed('pods', [pod('default', 'web-1')]);
    t.rendered = renderWithCluster(<App />, { search: '?ctx=dev&r=v1%2Fpods' });
    await screen.findByText('web-1');
    await waitFor(() => expect(t.cluster.watchers('pods')).toBeGreaterThan(0));
    act(() => t.cluster.add('pods', pod('default', 'web-2')));
    act(() => t.cluster.remove('pods', 'default', 'web-1'));
    const log = screen.getByRole('log', { name: 'Watch event log' });
    await waitFor(() => {
      const entries = within(log)
        .getAllByRole('listitem')
        .map((li) => li.textContent);
      expect(entries[0]).toMatch(/DELETED.*default\/web-1/);
      expect(entries[1]).toMatch(/ADDED.*default\/web-2/);
    });
    expect(screen.getByLabelText('event rate').textContent).toMatch(/2 total/);
  });

  it('keeps the last 20 watch events in the log while live and all 200 kept while paused, and pausing loses nothing', async () => {
    t.cluster.seed('pods', [pod('default', 'web-0')]);
    t.rendered = renderWithCluster(<App />, { search: '?ctx=dev&r=v1%2Fpods' });
    await screen.findByText('web-0', {}, { timeout: 5000 });
    await waitFor(() => expect(t.cluster.watchers('pods')).toBeGreaterThan(0));
    act(() => {
      for (let i = 1; i <= 120; i++) t.cluster.add('pods', pod('default', `web-${i}`));
    });
    const log = screen.getByRole('log', { name: 'Watch event log' });
    await waitFor(() => expect(screen.getByLabelText('event rate').textContent).toMatch(/120 total/));
    const entries = () => within(log).getAllByRole('listitem');
    expect(entries()).toHaveLength(20);
    expect(entries()[0]?.textContent).toMatch(/ADDED.*default\/web-120/);
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    // Paused: the log holds still and shows every kept event, newest first.
    await waitFor(() => expect(entries()).toHaveLength(120));
    expect(entries()[119]?.textContent).toMatch(/ADDED.*default\/web-1(?!\d)/);
    act(() => t.cluster.add('pods', pod('default', 'web-late')));
    await waitFor(() => expect(screen.getByLabelText('row count').textContent).toMatch(/122 items/));
    expect(entries()).toHaveLength(120);
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    // Resuming keeps what was logged before the pause.
    await waitFor(() => expect(screen.getByLabelText('event rate').textContent).toMatch(/120 total/));
    expect(entries()[0]?.textContent).toMatch(/ADDED.*default\/web-120/);
  });
});
