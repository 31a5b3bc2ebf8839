export { AlertsPanel } from './components/alerts-panel';
export { AlertCentre } from './components/alert-centre';
