import { useCallback, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent, type ReactNode } from 'react';
import { GridLayout, useContainerWidth, type EventCallback, type LayoutItem } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import { applyStep, stepForKey } from '../arrange';
import { breakpointFor, GRID_GAP, rowHeightFor, type BreakpointName, type PanelId } from '../breakpoints';
import { defaultLayout } from '../default-layouts';
import type { LayoutStore } from '../layout-store';
import { resolveLayout, toSaved } from '../saved-layouts';
import { useViewportHeight } from '../hooks/use-viewport-height';
import { keepDragSelectionStyleOutOfHead } from '../drag-style';

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
  /** Arranging: panels show a grip to drag (or arrow-key) them by and a corner to resize them by. */
  arranging: boolean;
  /** Height (px) above the grid (the sticky header): the fitted rows share what is left of the window. */
  offsetTop: number;
  /** Told which breakpoint the grid is at, for the reset control. */
  onBreakpoint?: (name: BreakpointName) => void;
}

const margin = [GRID_GAP, GRID_GAP] as const;

/**
 * The desk's panels on a react-grid-layout grid: a layout per breakpoint, the user's own when saved,
 * rows fitted to the window where the breakpoint asks for it.
 */
export function DeskGrid({ panels, store, arranging, offsetTop, onBreakpoint }: DeskGridProps) {
  const { width, containerRef, mounted } = useContainerWidth({ measureBeforeMount: true });
  const viewportHeight = useViewportHeight();
  const bp = breakpointFor(width);
  const saved = useSyncExternalStore(store.subscribe, store.get);
  const ids = panels.map((p) => p.id).join(' ');
  const layout = useMemo(
    () => resolveLayout(saved[bp.name], defaultLayout(bp.name, ids.split(' ') as PanelId[]), bp.cols),
    [saved, bp, ids],
  );
  const rowHeight = rowHeightFor(bp, viewportHeight - offsetTop);
  // The panels in the order they stand (top to bottom, then left to right), so Tab and a screen
  // reader go through them as they are seen, however they were arranged. Not while arranging: a
  // moved node loses focus, and the grip being moved by keyboard must keep it.
  const orderBeforeArranging = useRef(layout);
  if (!arranging) orderBeforeArranging.current = layout;
  const shown = useMemo(() => inReadingOrder(panels, arranging ? orderBeforeArranging.current : layout), [panels, arranging, layout]);
  const [announcement, setAnnouncement] = useState('');
  const helpId = useId();

  useEffect(() => onBreakpoint?.(bp.name), [bp.name, onBreakpoint]);
  useEffect(keepDragSelectionStyleOutOfHead, []);

  const keep = useCallback(
    (next: readonly LayoutItem[]) => {
      if (JSON.stringify(toSaved(next)) !== JSON.stringify(toSaved(layout))) store.save(bp.name, next);
    },
    [store, bp.name, layout],
  );
  const onStop = useCallback<EventCallback>((next) => keep(next), [keep]);

  const onGripKey = (panel: DeskPanel) => (e: KeyboardEvent<HTMLButtonElement>) => {
    const step = stepForKey(e.key, e.shiftKey);
    if (!step) return;
    e.preventDefault();
    const next = applyStep(layout, panel.id, step, bp.cols);
    const item = next.find((it) => it.i === panel.id);
    if (next === layout || !item) {
      setAnnouncement(`${panel.title} cannot ${step.kind === 'move' ? 'move' : 'change size'} that way.`);
      return;
    }
    keep(next);
    setAnnouncement(`${panel.title}: column ${item.x + 1}, row ${item.y + 1}, ${item.w} wide, ${item.h} tall.`);
  };

  return (
    <div ref={containerRef} className={`desk${arranging ? ' desk-arranging' : ''}`} data-testid="desk" data-breakpoint={bp.name} data-row-height={rowHeight}>
      <div id={helpId} className="sr-only">
        Arrow keys move the panel, Shift with an arrow key makes it wider, narrower, taller or shorter. With a mouse, drag this grip to move it and the bottom-right corner to resize it.
      </div>
      <div className="sr-only" role="status" data-testid="layout-announcement">
        {announcement}
      </div>
      {mounted ? (
        <GridLayout
          width={width}
          layout={layout}
          gridConfig={{ cols: bp.cols, rowHeight, margin, containerPadding: margin }}
          dragConfig={{ enabled: arranging, handle: '.desk-grip' }}
          resizeConfig={{ enabled: arranging, handles: ['se'] }}
          onDragStop={onStop}
          onResizeStop={onStop}
        >
          {shown.map((panel) => (
            <div key={panel.id} className="desk-item" data-testid={`desk-item-${panel.id}`}>
              {arranging ? (
                <button
                  type="button"
                  className="desk-grip"
                  data-testid={`grip-${panel.id}`}
                  aria-label={`Move or resize ${panel.title}`}
                  aria-describedby={helpId}
                  onKeyDown={onGripKey(panel)}
                >
                  <span aria-hidden>⠿</span>
                </button>
              ) : null}
              {panel.node}
            </div>
          ))}
        </GridLayout>
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
