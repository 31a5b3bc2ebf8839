import { cloneLayout, getLayoutItem, moveElement, verticalCompactor, type LayoutItem } from 'react-grid-layout';

/** The smallest a panel may be made, in cells: its title bar and a line or two of its body. */
export function minimumSize(cols: number): { minW: number; minH: number } {
  return { minW: Math.min(2, cols), minH: 2 };
}

/** A keyboard step on a panel: move it one cell, or grow or shrink it by one. */
export type Step = { kind: 'move'; dx: number; dy: number } | { kind: 'resize'; dw: number; dh: number };

/** The step a key press asks for: arrows move, Shift+arrows resize; null for any other key. */
export function stepForKey(key: string, shift: boolean): Step | null {
  const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[key];
  if (!d) return null;
  const [a, b] = d as [number, number];
  return shift ? { kind: 'resize', dw: a, dh: b } : { kind: 'move', dx: a, dy: b };
}

/**
 * `layout` after `step` on panel `id`, settled the way a drag or a resize would be: the grid's own
 * collision handling pushes the panels it lands on out of the way, then the layout is compacted
 * upwards. Moving down past a neighbour swaps the two. The panel stays inside the `cols` columns and
 * at least `minimumSize` cells; a step that changes nothing returns `layout` itself.
 */
export function applyStep(layout: readonly LayoutItem[], id: string, step: Step, cols: number): readonly LayoutItem[] {
  const { minW, minH } = minimumSize(cols);
  const current = getLayoutItem(layout, id);
  if (!current) return layout;
  let next = cloneLayout(layout);
  const item = getLayoutItem(next, id)!;
  if (step.kind === 'move') {
    const x = clamp(item.x + step.dx, 0, cols - item.w);
    // Under upward compaction a one-row step would be undone: a panel moves up or down by trading
    // places with its neighbour that way.
    const y = step.dy > 0 ? belowTop(next, item) ?? item.y : step.dy < 0 ? aboveTop(next, item) ?? item.y : item.y;
    if (x === item.x && y === item.y) return layout;
    next = moveElement(next, item, x, y, true, false, 'vertical', cols) as LayoutItem[];
  } else {
    const w = clamp(item.w + step.dw, Math.min(minW, item.w), cols - item.x);
    const h = Math.max(minH, item.h + step.dh);
    if (w === item.w && h === item.h) return layout;
    (item as { w: number }).w = w;
    (item as { h: number }).h = h;
  }
  const settled = verticalCompactor.compact(next, cols);
  const after = getLayoutItem(settled, id)!;
  const same = settled.every((it) => {
    const before = getLayoutItem(layout, it.i);
    return before && before.x === it.x && before.y === it.y && before.w === it.w && before.h === it.h;
  });
  return same && after ? layout : settled;
}

/** Where the nearest panel above `item` (overlapping its columns) starts. */
function aboveTop(layout: readonly LayoutItem[], item: LayoutItem): number | null {
  let nearest: LayoutItem | null = null;
  for (const other of layout) {
    if (other.i === item.i || other.y + other.h > item.y || !overlapsColumns(other, item)) continue;
    if (!nearest || other.y + other.h > nearest.y + nearest.h) nearest = other;
  }
  return nearest ? nearest.y : null;
}

/** Where the panel right under `item` (overlapping its columns) starts, pushed to just past it. */
function belowTop(layout: readonly LayoutItem[], item: LayoutItem): number | null {
  let nearest: LayoutItem | null = null;
  for (const other of layout) {
    if (other.i === item.i || other.y < item.y + item.h || !overlapsColumns(other, item)) continue;
    if (!nearest || other.y < nearest.y) nearest = other;
  }
  return nearest ? nearest.y + nearest.h - item.h + 1 : null;
}

function overlapsColumns(a: LayoutItem, b: LayoutItem): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
