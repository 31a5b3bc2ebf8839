export { SystemPanel } from './components/system-panel';
