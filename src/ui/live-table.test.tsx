import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeTableViewport } from '../react/testing/render-with-cluster.tsx';
import { arrayRows, LiveTable, type LiveTableRow } from './live-table.tsx';

const ROWS: LiveTableRow[] = Array.from({ length: 10_000 }, (_, i) => ({ key: `ns/pod-${i}` }));

function Table(props: { rows?: LiveTableRow[] }) {
  const [selected, setSelected] = useState<string | null>(null);
  const rows = props.rows ?? ROWS;
  return (
    <LiveTable
      label="pods"
      columns={[{ title: 'Name' }]}
      rows={arrayRows(rows)}
      renderCells={(i) => [rows[i]?.key ?? '']}
      sort={null}
      onSort={() => {}}
      selectedKey={selected}
      onSelect={setSelected}
      onOpen={() => {}}
    />
  );
}

const body = () => screen.getByRole('rowgroup', { name: 'pods rows' });
const renderedIndexes = () =>
  within(body())
    .getAllByRole('row')
    .map((r) => Number(r.getAttribute('aria-rowindex')) - 2);

describe('LiveTable', () => {
  let restore: () => void;
  beforeEach(() => {
    restore = fakeTableViewport(520);
  });
  afterEach(() => {
    cleanup();
    restore();
  });

  it('puts only the rows around the viewport in the DOM, at their fixed-height positions', () => {
    render(<Table />);
    // 520 px / 26 px = 20 rows, plus 12 overscan below.
    expect(renderedIndexes()).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(screen.getByRole('grid', { name: 'pods' }).getAttribute('aria-rowcount')).toBe('10001');
    act(() => {
      body().scrollTop = 2600;
      fireEvent.scroll(body());
    });
    const shown = renderedIndexes();
    expect(shown[0]).toBe(88);
    expect(shown.at(-1)).toBe(131);
    const row100 = within(body()).getByText('ns/pod-100').closest('[role="row"]') as HTMLElement;
    expect(row100.style.top).toBe('2600px');
  });

  it('scrolls the selected row into view when the keyboard moves past the viewport', () => {
    render(<Table />);
    body().focus();
    for (let i = 0; i < 25; i++) fireEvent.keyDown(body(), { key: 'j' });
    // Row 24 ends at 650 px: scrolled just enough to show it.
    expect(body().scrollTop).toBe(130);
    expect(renderedIndexes()).toContain(24);
    fireEvent.keyDown(body(), { key: 'End' });
    expect(body().scrollTop).toBe(10_000 * 26 - 520);
    expect(within(body()).getByText('ns/pod-9999')).toBeTruthy();
  });

  it('keeps rendering the last rows when the list shrinks below the scroll position', () => {
    const { rerender } = render(<Table />);
    act(() => {
      body().scrollTop = 200_000;
      fireEvent.scroll(body());
    });
    rerender(<Table rows={ROWS.slice(0, 5)} />);
    expect(within(body()).getByText('ns/pod-4')).toBeTruthy();
  });
});
