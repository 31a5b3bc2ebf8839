export { CustomEventsPanel } from './components/custom-events-panel';
