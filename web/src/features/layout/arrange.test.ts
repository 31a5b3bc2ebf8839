import fc from 'fast-check';
import type { LayoutItem } from 'react-grid-layout';
import { describe, expect, it } from 'vitest';
import { applyStep, stepForKey, type Step } from './arrange';
import { BREAKPOINTS, PANEL_IDS } from './breakpoints';
import { defaultLayout } from './default-layouts';

const at = (layout: readonly LayoutItem[], id: string) => {
  const item = layout.find((it) => it.i === id);
  if (!item) throw new Error(`${id} is not in the layout`);
  return { x: item.x, y: item.y, w: item.w, h: item.h };
};

const overlaps = (a: LayoutItem, b: LayoutItem) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('keyboard steps on the layout', () => {
  it('reads arrows as moves and Shift+arrows as resizes, and nothing else', () => {
    expect(stepForKey('ArrowLeft', false)).toEqual({ kind: 'move', dx: -1, dy: 0 });
    expect(stepForKey('ArrowDown', false)).toEqual({ kind: 'move', dx: 0, dy: 1 });
    expect(stepForKey('ArrowRight', true)).toEqual({ kind: 'resize', dw: 1, dh: 0 });
    expect(stepForKey('ArrowUp', true)).toEqual({ kind: 'resize', dw: 0, dh: -1 });
    expect(stepForKey('Enter', false)).toBeNull();
    expect(stepForKey('a', true)).toBeNull();
  });

  const xl = defaultLayout('xl', PANEL_IDS);

  it('moves a panel up past its neighbour, and back down, trading places', () => {
    const down = applyStep(xl, 'decisions', { kind: 'move', dx: 0, dy: -1 }, 24);
    // decisions sat under prices: now prices is under it
    expect(at(down, 'decisions').y).toBeLessThan(at(down, 'prices').y);
    const back = applyStep(down, 'decisions', { kind: 'move', dx: 0, dy: 1 }, 24);
    expect(at(back, 'decisions').y).toBeGreaterThan(at(back, 'prices').y);
  });

  it('moves a panel one column sideways and pushes what it lands on out of the way', () => {
    const moved = applyStep(xl, 'prices', { kind: 'move', dx: 1, dy: 0 }, 24);
    expect(at(moved, 'prices')).toEqual({ ...at(xl, 'prices'), x: 1 });
    expect(at(moved, 'positions').y).toBeGreaterThanOrEqual(at(moved, 'prices').y + at(moved, 'prices').h);
  });

  it('resizes by one cell, never past the last column nor below the minimum height', () => {
    const wider = applyStep(xl, 'prices', { kind: 'resize', dw: 1, dh: 0 }, 24);
    expect(at(wider, 'prices').w).toBe(at(xl, 'prices').w + 1);
    const taller = applyStep(xl, 'prices', { kind: 'resize', dw: 0, dh: 1 }, 24);
    expect(at(taller, 'prices').h).toBe(at(xl, 'prices').h + 1);
    // control ends at the last column: it cannot get wider, and a step that changes nothing is a no-op
    expect(applyStep(xl, 'control', { kind: 'resize', dw: 1, dh: 0 }, 24)).toBe(xl);
    const small: LayoutItem[] = [{ i: 'alerts', x: 0, y: 0, w: 2, h: 2 }];
    expect(applyStep(small, 'alerts', { kind: 'resize', dw: -1, dh: -1 }, 24)).toBe(small);
    // one column (a phone): one wide is the minimum
    const phone: LayoutItem[] = [{ i: 'alerts', x: 0, y: 0, w: 1, h: 5 }];
    expect(applyStep(phone, 'alerts', { kind: 'resize', dw: -1, dh: 0 }, 1)).toBe(phone);
    // the top-left panel cannot move further left or up
    expect(applyStep(xl, 'portfolio', { kind: 'move', dx: -1, dy: 0 }, 24)).toBe(xl);
  });

  it('leaves an unknown panel alone', () => {
    expect(applyStep(xl, 'nope', { kind: 'move', dx: 1, dy: 0 }, 24)).toBe(xl);
  });

  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('move' as const), dx: fc.integer({ min: -1, max: 1 }), dy: fc.integer({ min: -1, max: 1 }) }),
    fc.record({ kind: fc.constant('resize' as const), dw: fc.integer({ min: -1, max: 1 }), dh: fc.integer({ min: -1, max: 1 }) }),
  );

  it('keeps every panel, inside the columns and overlapping no other, through any steps', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...BREAKPOINTS),
        fc.array(fc.tuple(fc.constantFrom(...PANEL_IDS), step), { maxLength: 30 }),
        (bp, steps) => {
          let layout: readonly LayoutItem[] = defaultLayout(bp.name, PANEL_IDS);
          for (const [id, s] of steps) layout = applyStep(layout, id, s, bp.cols);
          expect(layout.map((it) => it.i).sort()).toEqual([...PANEL_IDS].sort());
          for (const a of layout) {
            expect(a.x).toBeGreaterThanOrEqual(0);
            expect(a.x + a.w).toBeLessThanOrEqual(bp.cols);
            expect(a.w).toBeGreaterThanOrEqual(Math.min(2, bp.cols));
            expect(a.h).toBeGreaterThanOrEqual(2);
            for (const b of layout) if (a !== b) expect(overlaps(a, b)).toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
