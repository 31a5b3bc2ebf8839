/** The panels the desk lays out; `system` is shown to admins only. */
export const PANEL_IDS = ['portfolio', 'prices', 'positions', 'decisions', 'trades', 'agents', 'alerts', 'feeds', 'custom', 'metrics', 'system', 'control'] as const;
export type PanelId = (typeof PANEL_IDS)[number];

/** The panels that make the main desk: on screen together, without scrolling, at every desktop size. */
export const MAIN_DESK: readonly PanelId[] = ['portfolio', 'prices', 'positions', 'decisions', 'trades', 'agents', 'alerts'];

export type BreakpointName = 'xl' | 'lg' | 'md' | 'sm';

export interface Breakpoint {
  name: BreakpointName;
  /** Narrowest grid width (px) this breakpoint applies from. */
  minWidth: number;
  cols: number;
  /**
   * `fit`: the first `rows` rows share the height left under the header, so what they hold is on
   * screen at once whatever the window's height; `fixed`: rows of `rowHeight` px and the page scrolls.
   */
  rows: { kind: 'fit'; count: number; minHeight: number } | { kind: 'fixed'; rowHeight: number };
}

/** Widest first. xl holds every panel in one screen; lg the main desk, with the rest below it. */
export const BREAKPOINTS: readonly Breakpoint[] = [
  { name: 'xl', minWidth: 1600, cols: 24, rows: { kind: 'fit', count: 20, minHeight: 22 } },
  { name: 'lg', minWidth: 1200, cols: 24, rows: { kind: 'fit', count: 20, minHeight: 22 } },
  { name: 'md', minWidth: 700, cols: 12, rows: { kind: 'fixed', rowHeight: 30 } },
  { name: 'sm', minWidth: 0, cols: 1, rows: { kind: 'fixed', rowHeight: 30 } },
];

/** Gap between panels and around the grid (px). */
export const GRID_GAP = 8;

/** The breakpoint for a grid `width` px wide. */
export function breakpointFor(width: number): Breakpoint {
  return BREAKPOINTS.find((bp) => width >= bp.minWidth) ?? BREAKPOINTS[BREAKPOINTS.length - 1]!;
}

/**
 * Row height (px) for `bp` when `height` px are left under the header: for a `fit` breakpoint the
 * largest whole height with which its rows, gaps and padding take no more than `height` (whole
 * pixels, so rounding never adds a scrollbar), never below its minimum.
 */
export function rowHeightFor(bp: Breakpoint, height: number, gap = GRID_GAP): number {
  if (bp.rows.kind === 'fixed') return bp.rows.rowHeight;
  const { count, minHeight } = bp.rows;
  const free = height - 2 * gap - (count - 1) * gap;
  return Math.max(minHeight, Math.floor(free / count));
}
