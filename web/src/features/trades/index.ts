export { TradesPanel } from './components/trades-panel';
