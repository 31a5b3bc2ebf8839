export { DeskGrid, type DeskPanel } from './components/desk-grid';
export { LayoutControls } from './components/layout-controls';
export { useElementHeight } from './hooks/use-element-height';
export { useLayoutStore } from './hooks/use-layout-store';
export { MAIN_DESK, type BreakpointName, type PanelId } from './breakpoints';
export type { LayoutStore } from './layout-store';
