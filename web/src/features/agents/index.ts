export { AgentsPanel } from './components/agents-panel';
