import type { Ref } from 'react';

interface LayoutControlsProps {
  arranging: boolean;
  /** The Arrange button: where focus goes when arranging ends from the keyboard (Escape). */
  arrangeRef?: Ref<HTMLButtonElement>;
  onArrange: (arranging: boolean) => void;
  onReset: () => void;
}

/** Header controls: arrange the panels (drag, resize, or keyboard on each panel's grip), reset to the default. */
export function LayoutControls({ arranging, arrangeRef, onArrange, onReset }: LayoutControlsProps) {
  return (
    <div className="layout-controls" role="group" aria-label="Layout">
      <button ref={arrangeRef} type="button" className={`btn btn-sm${arranging ? ' btn-primary' : ' btn-ghost'}`} aria-pressed={arranging} data-testid="layout-arrange" onClick={() => onArrange(!arranging)}>
        {arranging ? 'Done arranging' : 'Arrange'}
      </button>
      {arranging ? (
        <button type="button" className="btn btn-sm btn-ghost" data-testid="layout-reset" title="Put the panels back where they start at this screen size" onClick={onReset}>
          Reset layout
        </button>
      ) : null}
    </div>
  );
}
