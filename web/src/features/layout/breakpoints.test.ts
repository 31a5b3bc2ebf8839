import { describe, expect, it } from 'vitest';
import { BREAKPOINTS, breakpointFor, GRID_GAP, rowHeightFor } from './breakpoints';

describe('breakpoints', () => {
  it('picks the widest breakpoint the grid reaches', () => {
    expect(breakpointFor(1904).name).toBe('xl');
    expect(breakpointFor(1600).name).toBe('xl');
    expect(breakpointFor(1599).name).toBe('lg');
    expect(breakpointFor(1264).name).toBe('lg');
    expect(breakpointFor(1000).name).toBe('md');
    expect(breakpointFor(374).name).toBe('sm');
    expect(breakpointFor(0).name).toBe('sm');
  });

  it('fits the rows of a fit breakpoint into the height under the header, in whole pixels', () => {
    const xl = BREAKPOINTS[0]!;
    if (xl.rows.kind !== 'fit') throw new Error('xl fits its rows');
    for (const height of [1020, 1027, 850, 748, 701]) {
      const rowHeight = rowHeightFor(xl, height);
      expect(Number.isInteger(rowHeight)).toBe(true);
      const used = xl.rows.count * rowHeight + (xl.rows.count - 1) * GRID_GAP + 2 * GRID_GAP;
      expect(used).toBeLessThanOrEqual(height);
      // one pixel more per row would not fit
      expect(used + xl.rows.count).toBeGreaterThan(height);
    }
  });

  it('never goes below the minimum row height, and keeps fixed rows fixed', () => {
    expect(rowHeightFor(breakpointFor(1700), 100)).toBe(22);
    expect(rowHeightFor(breakpointFor(800), 5000)).toBe(30);
  });
});
