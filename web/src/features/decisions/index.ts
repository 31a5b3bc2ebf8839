export { DecisionsPanel } from './components/decisions-panel';
