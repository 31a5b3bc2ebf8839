export { ConnectionBadge } from './components/connection-badge';
export { HeaderStats } from './components/header-stats';
