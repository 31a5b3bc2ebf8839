import type { LayoutItem } from 'react-grid-layout';
import { describe, expect, it } from 'vitest';
import { BREAKPOINTS, MAIN_DESK, PANEL_IDS } from './breakpoints';
import { defaultLayout } from './default-layouts';

const bottom = (layout: readonly LayoutItem[]) => Math.max(...layout.map((it) => it.y + it.h));
const overlaps = (a: LayoutItem, b: LayoutItem) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('default layouts', () => {
  for (const bp of BREAKPOINTS)
    for (const panels of [PANEL_IDS, PANEL_IDS.filter((id) => id !== 'system')])
      it(`places ${panels.length} panels at ${bp.name} inside the columns, without overlap or a hole in the first rows`, () => {
        const layout = defaultLayout(bp.name, panels);
        expect(layout.map((it) => it.i)).toEqual([...panels]);
        for (const a of layout) {
          expect(a.x + a.w).toBeLessThanOrEqual(bp.cols);
          for (const b of layout) if (a !== b) expect(overlaps(a, b)).toBe(false);
        }
        // every cell of the rows the main desk spans is covered: the screen has no gaps
        const rows = Math.max(...layout.filter((it) => MAIN_DESK.includes(it.i as never)).map((it) => it.y + it.h));
        const area = layout.reduce((sum, it) => sum + it.w * Math.max(0, Math.min(it.h, rows - it.y)), 0);
        expect(area).toBe(rows * bp.cols);
      });

  it('keeps the main desk within the fitted rows at the desktop breakpoints, and everything at xl', () => {
    for (const bp of BREAKPOINTS) {
      if (bp.rows.kind !== 'fit') continue;
      const layout = defaultLayout(bp.name, PANEL_IDS);
      const main = layout.filter((it) => MAIN_DESK.includes(it.i as never));
      expect(bottom(main)).toBeLessThanOrEqual(bp.rows.count);
      if (bp.name === 'xl') expect(bottom(layout)).toBe(bp.rows.count);
    }
  });
});
