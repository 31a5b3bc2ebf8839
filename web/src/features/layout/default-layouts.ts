import type { LayoutItem } from 'react-grid-layout';
import type { BreakpointName, PanelId } from './breakpoints';

type Cell = Pick<LayoutItem, 'x' | 'y' | 'w' | 'h'>;
type Table = Record<PanelId, Cell>;

/**
 * Where each panel starts, per breakpoint. xl (24 x 20 rows fitted to the window): all twelve in
 * one screen. lg (24 x 20 fitted): the main desk in the first 20 rows, the others below.
 * md (12 columns) and sm (one column, a phone): stacked, the page scrolls, alerts near the top.
 */
const TABLES: Record<BreakpointName, Table> = {
  xl: {
    portfolio: { x: 0, y: 0, w: 14, h: 4 },
    alerts: { x: 14, y: 0, w: 6, h: 7 },
    custom: { x: 20, y: 0, w: 4, h: 7 },
    prices: { x: 0, y: 4, w: 8, h: 9 },
    positions: { x: 8, y: 4, w: 6, h: 5 },
    metrics: { x: 8, y: 9, w: 6, h: 4 },
    agents: { x: 14, y: 7, w: 5, h: 6 },
    system: { x: 19, y: 7, w: 5, h: 6 },
    decisions: { x: 0, y: 13, w: 6, h: 7 },
    trades: { x: 6, y: 13, w: 5, h: 7 },
    feeds: { x: 11, y: 13, w: 5, h: 7 },
    control: { x: 16, y: 13, w: 8, h: 7 },
  },
  lg: {
    portfolio: { x: 0, y: 0, w: 24, h: 4 },
    prices: { x: 0, y: 4, w: 10, h: 9 },
    positions: { x: 10, y: 4, w: 7, h: 9 },
    alerts: { x: 17, y: 4, w: 7, h: 9 },
    decisions: { x: 0, y: 13, w: 8, h: 7 },
    trades: { x: 8, y: 13, w: 8, h: 7 },
    agents: { x: 16, y: 13, w: 8, h: 7 },
    feeds: { x: 0, y: 20, w: 12, h: 10 },
    system: { x: 12, y: 20, w: 12, h: 10 },
    custom: { x: 0, y: 30, w: 12, h: 10 },
    metrics: { x: 12, y: 30, w: 12, h: 10 },
    control: { x: 0, y: 40, w: 24, h: 12 },
  },
  md: {
    portfolio: { x: 0, y: 0, w: 12, h: 5 },
    prices: { x: 0, y: 5, w: 7, h: 11 },
    positions: { x: 7, y: 5, w: 5, h: 11 },
    alerts: { x: 0, y: 16, w: 6, h: 9 },
    agents: { x: 6, y: 16, w: 6, h: 9 },
    decisions: { x: 0, y: 25, w: 6, h: 9 },
    trades: { x: 6, y: 25, w: 6, h: 9 },
    feeds: { x: 0, y: 34, w: 6, h: 10 },
    system: { x: 6, y: 34, w: 6, h: 10 },
    custom: { x: 0, y: 44, w: 6, h: 10 },
    metrics: { x: 6, y: 44, w: 6, h: 10 },
    control: { x: 0, y: 54, w: 12, h: 16 },
  },
  sm: stack([
    ['portfolio', 10],
    ['alerts', 7],
    ['prices', 12],
    ['positions', 9],
    ['decisions', 9],
    ['trades', 9],
    ['agents', 9],
    ['feeds', 10],
    ['custom', 9],
    ['metrics', 8],
    ['system', 10],
    ['control', 18],
  ]),
};

/** Without the System panel (not an admin), who takes its place. */
const WITHOUT_SYSTEM: Record<BreakpointName, Partial<Record<PanelId, Partial<Cell>>>> = {
  xl: { agents: { w: 10 } },
  lg: { feeds: { w: 24 } },
  md: { feeds: { w: 12 } },
  sm: {},
};

function stack(order: [PanelId, number][]): Table {
  let y = 0;
  const table = {} as Table;
  for (const [id, h] of order) {
    table[id] = { x: 0, y, w: 1, h };
    y += h;
  }
  return table;
}

/** The default layout of `panels` at `breakpoint`. */
export function defaultLayout(breakpoint: BreakpointName, panels: readonly PanelId[]): LayoutItem[] {
  const table = TABLES[breakpoint];
  const fill = panels.includes('system') ? {} : WITHOUT_SYSTEM[breakpoint];
  return panels.map((id) => ({ i: id, ...table[id], ...fill[id] }));
}
