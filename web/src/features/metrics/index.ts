export { MetricsPanel } from './components/metrics-panel';
