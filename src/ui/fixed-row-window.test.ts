import { describe, expect, it } from 'vitest';
import { rowWindow, scrollTopToReveal } from './fixed-row-window.ts';

describe('rowWindow', () => {
  it('covers the rows intersecting the viewport plus overscan, clamped to the list', () => {
    // 26 px rows, viewport 520 px high (20 rows), scrolled to row 100.
    expect(rowWindow(100_000, 26, 2600, 520, 12)).toEqual({ start: 88, end: 132 });
    expect(rowWindow(100_000, 26, 0, 520, 12)).toEqual({ start: 0, end: 32 });
    expect(rowWindow(30, 26, 0, 520, 12)).toEqual({ start: 0, end: 30 });
  });

  it('counts a partly visible row as in view', () => {
    // scrollTop 13 shows the lower half of row 0 and the upper half of row 20.
    expect(rowWindow(1000, 26, 13, 520, 0)).toEqual({ start: 0, end: 21 });
  });

  it('is empty without rows and never starts past the end after the list shrank', () => {
    expect(rowWindow(0, 26, 5000, 520, 12)).toEqual({ start: 0, end: 0 });
    // Scrolled far down, then the list shrank to 10 rows: the last rows stay renderable.
    expect(rowWindow(10, 26, 26_000, 520, 12)).toEqual({ start: 9, end: 10 });
  });

  it('treats a viewport without layout (height 0) as showing the overscan only', () => {
    expect(rowWindow(1000, 26, 0, 0, 12)).toEqual({ start: 0, end: 12 });
  });
});

describe('scrollTopToReveal', () => {
  it('scrolls the least distance that shows the row, and not at all when it is visible', () => {
    expect(scrollTopToReveal(5, 26, 0, 520)).toBeNull();
    expect(scrollTopToReveal(19, 26, 0, 520)).toBeNull();
    // Row 20 ends at 546: align its bottom with the viewport's.
    expect(scrollTopToReveal(20, 26, 0, 520)).toBe(26);
    // Row 3 is above the viewport: align its top.
    expect(scrollTopToReveal(3, 26, 2600, 520)).toBe(78);
  });
});
