import { AgentsPanel } from '../features/agents';
import { AlertsPanel } from '../features/alerts';
import { ConnectionBadge, HeaderStats } from '../features/connection';
import { ControlPanel } from '../features/control';
import { DecisionsPanel } from '../features/decisions';
import { FeedsPanel } from '../features/feeds';
import { PortfolioPanel } from '../features/portfolio';
import { PositionsPanel } from '../features/positions';
import { PricesPanel } from '../features/prices';
import { SystemPanel } from '../features/system';
import { TradesPanel } from '../features/trades';

/** The dashboard: header, then the panels on a grid. */
export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden />
          <h1>livedesk</h1>
        </div>
        <HeaderStats />
        <ConnectionBadge />
      </header>
      <main className="board">
        <PortfolioPanel />
        <PricesPanel />
        <PositionsPanel />
        <DecisionsPanel />
        <TradesPanel />
        <AgentsPanel />
        <AlertsPanel />
        <FeedsPanel />
        <SystemPanel />
        <ControlPanel />
      </main>
    </div>
  );
}
