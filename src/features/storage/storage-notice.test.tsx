import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PersistenceNotices } from '../../persist/persistence-notices.ts';
import { type KubeEnvironment, KubeEnvironmentContext } from '../../react/kube-environment.ts';
import { StorageNotice } from './storage-notice.tsx';

afterEach(cleanup);

function renderNotice(notices: PersistenceNotices | undefined) {
  const environment = {
    fetch: () => Promise.reject(new Error('no network in this test')),
    discoveryFor: () => {
      throw new Error('not used');
    },
    sources: {},
    ...(notices ? { storageNotices: notices } : {}),
  } as unknown as KubeEnvironment; // only storageNotices is read by the component
  return render(
    <KubeEnvironmentContext value={environment}>
      <StorageNotice />
    </KubeEnvironmentContext>,
  );
}

describe('StorageNotice', () => {
  it('renders nothing while persistence is healthy, or without a notice source', () => {
    renderNotice(new PersistenceNotices());
    expect(screen.queryByRole('status')).toBeNull();
    cleanup();
    renderNotice(undefined);
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('says each problem once, however often it is reported, and can be dismissed', () => {
    const notices = new PersistenceNotices();
    renderNotice(notices);
    act(() => {
      for (let i = 0; i < 50; i++) notices.report('memory-only', 'Browser storage is full.');
    });
    const status = screen.getByRole('status', { name: 'local storage' });
    expect(status.querySelectorAll('p')).toHaveLength(1);
    expect(status.textContent).toMatch('Browser storage is full.');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('status')).toBeNull();
    act(() => notices.report('memory-only', 'again'));
    expect(screen.queryByRole('status')).toBeNull();
    act(() => notices.report('unavailable', 'No local storage.'));
    expect(screen.getByRole('status').textContent).toMatch('No local storage.');
  });
});
