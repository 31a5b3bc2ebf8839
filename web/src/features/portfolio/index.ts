export { PortfolioPanel } from './components/portfolio-panel';
