import type { LayoutItem } from 'react-grid-layout';
import { BREAKPOINTS, PANEL_IDS, type BreakpointName, type PanelId } from './breakpoints';

/** One arrangement per breakpoint the user has changed; a breakpoint not here uses its default. */
export type SavedLayouts = Partial<Record<BreakpointName, LayoutItem[]>>;

/** Where the arrangement is kept in localStorage. */
export const LAYOUT_STORAGE_KEY = 'livedesk.layout.v1';

const names = new Set<string>(BREAKPOINTS.map((bp) => bp.name));
const panels = new Set<string>(PANEL_IDS);
const cell = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v < 10_000;

/** The position and size of one panel, or null when `raw` is not one (only these fields are kept). */
function parseItem(raw: unknown): LayoutItem | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { i, x, y, w, h } = raw as Record<string, unknown>;
  if (typeof i !== 'string' || !panels.has(i)) return null;
  if (!cell(x, 0) || !cell(y, 0) || !cell(w, 1) || !cell(h, 1)) return null;
  return { i, x, y, w, h };
}

/**
 * The saved layouts in `text` (what localStorage held). Anything that is not a layout this page
 * wrote, a breakpoint whose list has a bad item or a panel twice, is dropped rather than trusted:
 * a hand-edited or older entry costs that breakpoint its arrangement, never the page.
 */
export function parseSavedLayouts(text: string | null): SavedLayouts {
  if (!text) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof data !== 'object' || data === null) return {};
  const saved: SavedLayouts = {};
  for (const [name, list] of Object.entries(data as Record<string, unknown>)) {
    if (!names.has(name) || !Array.isArray(list)) continue;
    const items = list.map(parseItem);
    if (items.some((item) => item === null)) continue;
    const layout = items as LayoutItem[];
    if (new Set(layout.map((item) => item.i)).size !== layout.length) continue;
    saved[name as BreakpointName] = layout;
  }
  return saved;
}

/**
 * The layout to show: the saved one for the panels on the page, clamped to `cols`; a panel it does
 * not place (one the role shows now but did not then) at its default spot. Without a saved one, the
 * default. The grid's compaction then settles any overlap this leaves.
 */
export function resolveLayout(saved: readonly LayoutItem[] | undefined, defaults: readonly LayoutItem[], cols: number): LayoutItem[] {
  if (!saved) return [...defaults];
  const byId = new Map(saved.map((item) => [item.i, item]));
  return defaults.map((fallback) => {
    const item = byId.get(fallback.i);
    if (!item) return fallback;
    const w = Math.min(item.w, cols);
    return { i: item.i, x: Math.min(item.x, cols - w), y: item.y, w, h: item.h };
  });
}

/** Only what a layout needs to come back: the grid adds flags (`moved`, `static`) not worth keeping. */
export function toSaved(layout: readonly LayoutItem[]): LayoutItem[] {
  return layout.filter((item) => panels.has(item.i)).map(({ i, x, y, w, h }) => ({ i: i as PanelId, x, y, w, h }));
}
