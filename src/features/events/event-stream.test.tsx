import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../kube/api/types.ts';
import { fakeClusterSuite } from '../../react/testing/fake-cluster-suite.ts';
import { renderWithCluster } from '../../react/testing/render-with-cluster.tsx';
import { EventStream } from './event-stream.tsx';

const t = fakeClusterSuite({ viewport: true });

function event(name: string, type: string, reason: string, pod: string, lastTimestamp: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { namespace: 'default', name },
    type,
    reason,
    message: `${reason} for ${pod}`,
    count: 1,
    lastTimestamp,
    involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: pod, uid: `uid-${pod}` },
  };
}

const rows = () =>
  within(screen.getByRole('rowgroup', { name: 'events rows' }))
    .queryAllByRole('row')
    .map((r) =>
      within(r)
        .getAllByRole('gridcell')
        .map((c) => c.textContent),
    );

describe('EventStream', () => {
  it('streams events newest first, emphasises Warnings, filters and links to the object', async () => {
    t.cluster.seed('events', [
      event('e1', 'Normal', 'Scheduled', 'web-1', '2024-01-01T00:00:01Z'),
      event('e2', 'Warning', 'BackOff', 'web-1', '2024-01-01T00:00:02Z'),
    ]);
    t.rendered = renderWithCluster(<EventStream />, { search: '?ctx=dev&v=events' });
    await screen.findByText('BackOff');
    expect(rows().map((r) => r[2])).toEqual(['BackOff', 'Scheduled']);
    expect(within(screen.getByRole('rowgroup', { name: 'events rows' })).getByText('Warning').className).toBe(
      'event-warning',
    );

    await waitFor(() => expect(t.cluster.watchers('events')).toBe(1));
    act(() => t.cluster.add('events', event('e3', 'Warning', 'Unhealthy', 'db-1', '2024-01-01T00:00:03Z')));
    await waitFor(() => expect(rows()[0]?.[2]).toBe('Unhealthy'));

    fireEvent.change(screen.getByRole('combobox', { name: 'Event type' }), { target: { value: 'Warning' } });
    expect(rows().map((r) => r[2])).toEqual(['Unhealthy', 'BackOff']);
    fireEvent.change(screen.getByRole('textbox', { name: 'Filter by object' }), {
      target: { value: 'pod/web' },
    });
    expect(rows().map((r) => r[2])).toEqual(['BackOff']);
    expect(screen.getByLabelText('event count').textContent).toBe('1 of 3');

    fireEvent.click(screen.getByRole('button', { name: 'Pod/web-1' }));
    expect(t.rendered.routeStore.getState().route).toMatchObject({
      view: 'resources',
      gvr: { group: '', version: 'v1', resource: 'pods' },
      selected: { namespace: 'default', name: 'web-1' },
    });
  });
});
