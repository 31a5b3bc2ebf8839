export { AgentViewHost } from './components/agent-view-host';
