import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { GridLayout, type EventCallback, type LayoutItem } from 'react-grid-layout';
import 'react-grid-layout/css/styles.css';
import { applyStep, minimumSize, stepForKey } from '../arrange';
import { keepDragSelectionStyleOutOfHead } from '../drag-style';
import type { Geometry } from '../grid-geometry';

interface ArrangeLayerProps {
  panels: readonly { id: string; title: string }[];
  layout: readonly LayoutItem[];
  geometry: Geometry;
  /** A new layout from a drag, a resize or a key. */
  onLayout: (layout: readonly LayoutItem[]) => void;
  /** Escape on a grip: arranging is over. */
  onDone?: () => void;
}

/**
 * The layer shown while arranging: a react-grid-layout grid over the panels, one box per panel with
 * a grip to drag (or arrow-key: move; Shift+arrow: resize) and a corner to resize. It holds no panel:
 * the panels beneath follow the layout it produces.
 */
export function ArrangeLayer({ panels, layout, geometry, onLayout, onDone }: ArrangeLayerProps) {
  const [announcement, setAnnouncement] = useState('');
  const helpId = useId();
  const margin = [geometry.gap, geometry.gap] as const;
  // The same floor for the mouse as for the keys: a panel never shrinks below its title bar and a line.
  const limited = useMemo(() => layout.map((item) => ({ ...item, ...minimumSize(geometry.cols) })), [layout, geometry.cols]);

  useEffect(keepDragSelectionStyleOutOfHead, []);

  const onStop: EventCallback = (next) => onLayout(next);

  const onGripKey = (panel: { id: string; title: string }) => (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key === 'Escape' && onDone) {
      e.preventDefault();
      onDone();
      return;
    }
    const step = stepForKey(e.key, e.shiftKey);
    if (!step) return;
    e.preventDefault();
    const next = applyStep(layout, panel.id, step, geometry.cols);
    const item = next.find((it) => it.i === panel.id);
    if (next === layout || !item) {
      setAnnouncement(`${panel.title} cannot ${step.kind === 'move' ? 'move' : 'change size'} that way.`);
      return;
    }
    onLayout(next);
    setAnnouncement(`${panel.title}: column ${item.x + 1}, row ${item.y + 1}, ${item.w} wide, ${item.h} tall.`);
  };

  return (
    <div className="arrange-layer" data-testid="arrange-layer">
      <div id={helpId} className="sr-only">
        Arrow keys move the panel, Shift with an arrow key makes it wider, narrower, taller or shorter, Escape ends arranging. With a mouse, drag this grip to move it and the bottom-right corner to resize it.
      </div>
      <div className="sr-only" role="status" data-testid="layout-announcement">
        {announcement}
      </div>
      <GridLayout
        width={geometry.width}
        layout={limited}
        gridConfig={{ cols: geometry.cols, rowHeight: geometry.rowHeight, margin, containerPadding: margin }}
        dragConfig={{ enabled: true, handle: '.desk-grip' }}
        resizeConfig={{ enabled: true, handles: ['se'] }}
        onDragStop={onStop}
        onResizeStop={onStop}
      >
        {panels.map((panel) => (
          <div key={panel.id} className="arrange-item" data-testid={`arrange-item-${panel.id}`}>
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
            <span className="arrange-title" aria-hidden>
              {panel.title}
            </span>
          </div>
        ))}
      </GridLayout>
    </div>
  );
}
