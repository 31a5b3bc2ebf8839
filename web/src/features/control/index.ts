export { LazyControlPanel as ControlPanel } from './components/lazy-control-panel';
