export { PositionsPanel } from './components/positions-panel';
