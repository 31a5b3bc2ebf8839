export { EquityCurve } from './components/equity-curve';
