export { PricesPanel } from './components/prices-panel';
