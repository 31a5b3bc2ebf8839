import { describe, expect, it } from 'vitest';
import { BREAKPOINTS, GRID_GAP, PANEL_IDS } from './breakpoints';
import { defaultLayout } from './default-layouts';
import { cellBox, gridHeight } from './grid-geometry';

describe('grid geometry', () => {
  it('tiles a row of cells edge to edge with one gap between them and around the grid, in whole pixels', () => {
    for (const bp of BREAKPOINTS)
      for (const width of [390, 1024, 1264, 1424, 1904]) {
        const g = { width, cols: bp.cols, rowHeight: 37, gap: GRID_GAP };
        const row = Array.from({ length: bp.cols }, (_, x) => cellBox({ x, y: 2, w: 1, h: 3 }, g));
        expect(row[0]!.left).toBe(GRID_GAP);
        for (let i = 1; i < row.length; i++) expect(row[i]!.left - (row[i - 1]!.left + row[i - 1]!.width)).toBe(GRID_GAP);
        expect(row.at(-1)!.left + row.at(-1)!.width).toBe(width - GRID_GAP);
        expect(row.every((b) => Number.isInteger(b.left) && Number.isInteger(b.width) && b.top === GRID_GAP + 2 * (37 + GRID_GAP) && b.height === 3 * 37 + 2 * GRID_GAP)).toBe(true);
        // a wide cell covers exactly the cells it spans
        for (const item of defaultLayout(bp.name, PANEL_IDS)) {
          const box = cellBox(item, g);
          expect(box.left).toBe(row[item.x]!.left);
          expect(box.left + box.width).toBe(row[item.x + item.w - 1]!.left + row[item.x + item.w - 1]!.width);
        }
      }
  });

  it('is as tall as its lowest cell plus the gaps around the grid', () => {
    expect(gridHeight([{ y: 0, h: 3 }, { y: 3, h: 17 }], { rowHeight: 43, gap: 8 })).toBe(20 * 43 + 19 * 8 + 16);
    expect(gridHeight([], { rowHeight: 43, gap: 8 })).toBe(16);
  });
});
