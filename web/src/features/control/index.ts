export { ControlPanel } from './components/control-panel';
