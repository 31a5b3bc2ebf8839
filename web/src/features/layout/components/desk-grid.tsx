import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useSyncExternalStore, type ReactNode } from 'react';
import type { LayoutItem } from 'react-grid-layout';
import { breakpointFor, GRID_GAP, rowHeightFor, type BreakpointName, type PanelId } from '../breakpoints';
import { defaultLayout } from '../default-layouts';
import { cellBox, gridHeight, type Geometry } from '../grid-geometry';
import { useElementWidth } from '../hooks/use-element-width';
import { useViewportHeight } from '../hooks/use-viewport-height';
import type { LayoutStore } from '../layout-store';
import { resolveLayout, toSaved } from '../saved-layouts';

// react-grid-layout's drag and resize code is loaded when the user first arranges, not with the page.
const ArrangeLayer = lazy(() => import('./arrange-layer').then((module) => ({ default: module.ArrangeLayer })));

/** One panel on the desk. */
export interface DeskPanel {
  id: PanelId;
  /** Names the panel in the move/resize control and in what is announced. */
  title: string;
  node: ReactNode;
}

interface DeskGridProps {
  panels: readonly DeskPanel[];
  store: LayoutStore;
  /** Arranging: a layer over the panels with a box per panel to drag, resize or arrow-key. */
  arranging: boolean;
  /** Height (px) above the grid (the sticky header): the fitted rows share what is left of the window. */
  offsetTop: number;
  /** Told which breakpoint the grid is at, for the reset control. */
  onBreakpoint?: (name: BreakpointName) => void;
  /** Arranging ended from the keyboard (Escape on a grip). */
  onArrangeDone?: () => void;
}

/**
 * The desk's panels placed on a grid: a layout per breakpoint, the user's own when saved, rows
 * fitted to the window where the breakpoint asks for it. The panels are placed here by the grid's
 * arithmetic and never remounted by arranging: the arranging layer moves boxes over them and the
 * panels follow the saved layout.
 */
export function DeskGrid({ panels, store, arranging, offsetTop, onBreakpoint, onArrangeDone }: DeskGridProps) {
  const [ref, width] = useElementWidth<HTMLDivElement>();
  const viewportHeight = useViewportHeight();
  const bp = breakpointFor(width);
  const saved = useSyncExternalStore(store.subscribe, store.get);
  const ids = panels.map((p) => p.id).join(' ');
  const layout = useMemo(
    () => resolveLayout(saved[bp.name], defaultLayout(bp.name, ids.split(' ') as PanelId[]), bp.cols),
    [saved, bp, ids],
  );
  const geometry: Geometry = { width, cols: bp.cols, rowHeight: rowHeightFor(bp, viewportHeight - offsetTop), gap: GRID_GAP };
  const byId = new Map(layout.map((item) => [item.i, item]));
  // The panels in the order they stand (top to bottom, then left to right), so Tab and a screen
  // reader go through them as they are seen, however they were arranged. Not while arranging: a
  // moved node loses focus, and the grip being moved by keyboard must keep it.
  const orderBeforeArranging = useRef(layout);
  if (!arranging) orderBeforeArranging.current = layout;
  const shown = useMemo(() => inReadingOrder(panels, arranging ? orderBeforeArranging.current : layout), [panels, arranging, layout]);

  useEffect(() => onBreakpoint?.(bp.name), [bp.name, onBreakpoint]);

  const keep = useCallback(
    (next: readonly LayoutItem[]) => {
      if (JSON.stringify(toSaved(next)) !== JSON.stringify(toSaved(layout))) store.save(bp.name, next);
    },
    [store, bp.name, layout],
  );

  return (
    <div
      ref={ref}
      className={`desk${arranging ? ' desk-arranging' : ''}`}
      data-testid="desk"
      data-breakpoint={bp.name}
      data-row-height={geometry.rowHeight}
      style={{ height: gridHeight(layout, geometry) }}
    >
      {width > 0
        ? shown.map((panel) => {
            const box = cellBox(byId.get(panel.id)!, geometry);
            return (
              <div
                key={panel.id}
                className="desk-item"
                data-testid={`desk-item-${panel.id}`}
                style={{ transform: `translate(${box.left}px, ${box.top}px)`, width: box.width, height: box.height }}
              >
                {panel.node}
              </div>
            );
          })
        : null}
      {arranging && width > 0 ? (
        <Suspense fallback={null}>
          <ArrangeLayer panels={shown} layout={layout} geometry={geometry} onLayout={keep} onDone={onArrangeDone} />
        </Suspense>
      ) : null}
    </div>
  );
}

/** `panels` sorted by where `layout` puts them: by row, then by column; a panel it lacks goes last. */
function inReadingOrder(panels: readonly DeskPanel[], layout: readonly LayoutItem[]): readonly DeskPanel[] {
  const at = new Map(layout.map((item) => [item.i, item]));
  const key = (p: DeskPanel) => at.get(p.id) ?? { y: Infinity, x: Infinity };
  return [...panels].sort((a, b) => key(a).y - key(b).y || key(a).x - key(b).x);
}
