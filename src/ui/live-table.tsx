// biome-ignore-all lint/a11y/useSemanticElements: virtualized rows are absolutely positioned in a scroll container, which <table> layout cannot do; ARIA grid roles carry the semantics instead
// biome-ignore-all lint/a11y/useFocusableInteractive: focus stays on the row group (one tab stop); rows are selected with j/k/arrows there, as in a listbox
// biome-ignore-all lint/a11y/noNoninteractiveTabindex: the row group is the grid's single tab stop and handles the row keys
// biome-ignore-all lint/a11y/useKeyWithClickEvents: the keyboard path for row clicks is the row group's key handler (arrows, j/k, Enter)
// A virtualized, sortable table for live data: only the rows in (and just around) the viewport are
// in the DOM, so 100,000 rows scroll smoothly. Presentational: rows, columns and sort come in as
// props; flashes mark rows that were just added, modified or deleted (CSS animations in
// styles/app.css). Keyboard: j/k and arrows move, Home/End jump, Enter opens.
import { type KeyboardEvent, memo, type ReactNode, useCallback, useEffect, useRef } from 'react';
import { useFixedRowWindow } from './fixed-row-window.ts';

export type RowFlash = 'added' | 'modified' | 'deleted';

export interface LiveTableColumn {
  title: string;
  description?: string;
  /** Relative width weight; names get more room than ages. */
  weight?: number;
  numeric?: boolean;
}

export interface LiveTableRow {
  key: string;
  flash?: RowFlash;
}

/**
 * The rows to show, by position. An interface rather than an array so a 100,000-row table never
 * materialises a per-frame array: only the rows in the DOM are asked for, and the selected row is
 * found by key (the ordered index answers in O(log n)).
 */
export interface LiveTableRows {
  readonly length: number;
  at(index: number): LiveTableRow | undefined;
  /** Position of key, or -1. */
  indexOf(key: string): number;
}

/** An array as LiveTableRows (small tables). indexOf is a linear scan. */
export function arrayRows(rows: readonly LiveTableRow[]): LiveTableRows {
  return {
    length: rows.length,
    at: (i) => rows[i],
    indexOf: (key) => rows.findIndex((r) => r.key === key),
  };
}

export interface SortState {
  column: number;
  descending: boolean;
}

export interface LiveTableProps {
  /** Accessible name of the table, e.g. "pods". */
  label: string;
  columns: readonly LiveTableColumn[];
  rows: LiveTableRows;
  /** Cells of rows[index]; called only for the rows in the DOM, so formatting stays O(visible). */
  renderCells(index: number): readonly ReactNode[];
  sort: SortState | null;
  onSort(column: number): void;
  selectedKey: string | null;
  onSelect(key: string): void;
  onOpen(key: string): void;
  /** Shown in place of rows when there are none. */
  empty?: ReactNode;
  rowHeight?: number;
}

export function LiveTable(props: LiveTableProps) {
  const { columns, rows, sort, selectedKey, rowHeight = 26 } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  // Rows get stable handlers (reading the latest props), so a row whose cells did not change is
  // not rendered again when the table is (WindowRow's memo).
  const latest = useRef(props);
  latest.current = props;
  const select = useCallback((key: string) => latest.current.onSelect(key), []);
  const open = useCallback((key: string) => latest.current.onOpen(key), []);
  // Rows have one fixed height, so the window is O(1) to compute (fixed-row-window.ts).
  const range = useFixedRowWindow(scrollRef, rows.length, rowHeight, 12);
  const selectedIndex = selectedKey === null ? -1 : rows.indexOf(selectedKey);
  const { scrollToIndex } = range;

  useEffect(() => {
    if (selectedIndex >= 0) scrollToIndex(selectedIndex);
  }, [selectedIndex, scrollToIndex]);

  const shown: number[] = [];
  for (let i = range.start; i < range.end; i++) shown.push(i);

  const template = columns.map((c) => `minmax(${c.numeric ? 56 : 90}px, ${c.weight ?? 1}fr)`).join(' ');

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey || rows.length === 0) return;
    const move = (to: number) => {
      e.preventDefault();
      const row = rows.at(Math.max(0, Math.min(rows.length - 1, to)));
      if (row) props.onSelect(row.key);
    };
    if (e.key === 'ArrowDown' || e.key === 'j') move(selectedIndex + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') move(selectedIndex < 0 ? 0 : selectedIndex - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(rows.length - 1);
    else if (e.key === 'PageDown') move(selectedIndex + 20);
    else if (e.key === 'PageUp') move(selectedIndex - 20);
    else if (e.key === 'Enter' && selectedKey !== null) {
      e.preventDefault();
      props.onOpen(selectedKey);
    }
  };

  return (
    <div
      className="live-table"
      role="grid"
      aria-label={props.label}
      aria-readonly="true"
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length}
    >
      <div role="rowgroup" className="live-table-head">
        <div
          role="row"
          aria-rowindex={1}
          className="live-table-row"
          style={{ gridTemplateColumns: template }}
        >
          {columns.map((c, i) => {
            const sorted = sort?.column === i;
            return (
              <div
                key={c.title}
                role="columnheader"
                aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                className={c.numeric ? 'numeric' : undefined}
                title={c.description}
              >
                <button type="button" onClick={() => props.onSort(i)}>
                  {c.title}
                  <span aria-hidden="true" className="sort-mark">
                    {sorted ? (sort.descending ? '▼' : '▲') : ''}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
      </div>
      <div
        ref={scrollRef}
        role="rowgroup"
        aria-label={`${props.label} rows`}
        className="live-table-body"
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-table-body=""
      >
        {rows.length === 0 ? (
          <div className="live-table-empty">{props.empty}</div>
        ) : (
          <div style={{ height: rows.length * rowHeight, position: 'relative' }}>
            {shown.map((index) => {
              const row = rows.at(index);
              if (!row) return null;
              return (
                <WindowRow
                  key={row.key}
                  rowKey={row.key}
                  index={index}
                  selected={row.key === selectedKey}
                  flash={row.flash}
                  template={template}
                  rowHeight={rowHeight}
                  columns={columns}
                  cells={props.renderCells(index)}
                  onSelect={select}
                  onOpen={open}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

interface WindowRowProps {
  rowKey: string;
  index: number;
  selected: boolean;
  flash: RowFlash | undefined;
  template: string;
  rowHeight: number;
  columns: readonly LiveTableColumn[];
  cells: readonly ReactNode[];
  onSelect(key: string): void;
  onOpen(key: string): void;
}

/**
 * Equal when every prop is identical and the cells are equal one by one: cells are rebuilt on every
 * render (renderCells), but a row's text only changes when its object did. Under a thousand
 * updates a second most rows in the window are unchanged in any one frame, and skipping them
 * keeps the frame's render to the rows that did change.
 */
function sameRow(a: WindowRowProps, b: WindowRowProps): boolean {
  if (
    a.rowKey !== b.rowKey ||
    a.index !== b.index ||
    a.selected !== b.selected ||
    a.flash !== b.flash ||
    a.template !== b.template ||
    a.rowHeight !== b.rowHeight ||
    a.columns !== b.columns ||
    a.onSelect !== b.onSelect ||
    a.onOpen !== b.onOpen ||
    a.cells.length !== b.cells.length
  )
    return false;
  for (let i = 0; i < a.cells.length; i++) if (!Object.is(a.cells[i], b.cells[i])) return false;
  return true;
}

const WindowRow = memo(function WindowRow(props: WindowRowProps) {
  const { rowKey, index, rowHeight, columns } = props;
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-selected={props.selected}
      data-flash={props.flash}
      className="live-table-row"
      style={{
        gridTemplateColumns: props.template,
        // top, not a transform: fifty rows with a transform each are fifty property nodes that
        // Chromium re-layerizes on every paint (up to 30 ms per frame under load, issue 5).
        top: index * rowHeight,
        height: rowHeight,
      }}
      onClick={() => props.onSelect(rowKey)}
      onDoubleClick={() => props.onOpen(rowKey)}
    >
      {props.cells.map((cell, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional by column
        <div key={i} role="gridcell" className={columns[i]?.numeric ? 'numeric' : undefined}>
          {cell}
        </div>
      ))}
    </div>
  );
}, sameRow);
