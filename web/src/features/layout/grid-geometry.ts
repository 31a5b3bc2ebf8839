import type { LayoutItem } from 'react-grid-layout';
import { calcGridItemPosition } from 'react-grid-layout/core';

/** What places cells on the page: the grid's width (px), columns, row height and gap (px). */
export interface Geometry {
  width: number;
  cols: number;
  rowHeight: number;
  gap: number;
}

/** A cell's box in px, from the grid's top-left corner. */
export interface CellBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where a layout item sits: react-grid-layout's own arithmetic (its pure core, not its components),
 * so the panels drawn here line up with the boxes its grid drags while arranging.
 */
export function cellBox(item: Pick<LayoutItem, 'x' | 'y' | 'w' | 'h'>, g: Geometry): CellBox {
  const margin = [g.gap, g.gap] as const;
  const params = { cols: g.cols, containerWidth: g.width, rowHeight: g.rowHeight, margin, containerPadding: margin, maxRows: Infinity };
  return calcGridItemPosition(params, item.x, item.y, item.w, item.h);
}

/** The grid's height (px): down to the lowest cell, with the gap below it. */
export function gridHeight(layout: readonly Pick<LayoutItem, 'y' | 'h'>[], g: Pick<Geometry, 'rowHeight' | 'gap'>): number {
  const rows = Math.max(0, ...layout.map((item) => item.y + item.h));
  return rows * g.rowHeight + Math.max(0, rows - 1) * g.gap + 2 * g.gap;
}
