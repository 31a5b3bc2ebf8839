import { AgentsPanel } from '../features/agents';
import { AlertsPanel } from '../features/alerts';
import { ControlPanel } from '../features/control';
import { CustomEventsPanel } from '../features/custom-events';
import { DecisionsPanel } from '../features/decisions';
import { EquityCurve } from '../features/equity';
import { FeedsPanel } from '../features/feeds';
import { MetricsPanel } from '../features/metrics';
import { MAIN_ID } from '../components/ui/skip-links';
import { DeskGrid, type BreakpointName, type DeskPanel, type LayoutStore } from '../features/layout';
import { PortfolioPanel } from '../features/portfolio';
import { PositionsPanel } from '../features/positions';
import { PricesPanel } from '../features/prices';
import { SystemPanel } from '../features/system';
import { TradesPanel } from '../features/trades';
import { hasRole, type Role } from '../lib/identity';

interface BoardProps {
  role: Role;
  store: LayoutStore;
  arranging: boolean;
  offsetTop: number;
  onBreakpoint: (name: BreakpointName) => void;
  onArrangeDone: () => void;
}

/** The panels the role may see, on the arrangeable grid; System only for admins (its streams are theirs alone). */
export function Board({ role, ...grid }: BoardProps) {
  const panels: DeskPanel[] = [
    { id: 'portfolio', title: 'Portfolio', node: <PortfolioPanel aside={(portfolio) => <EquityCurve portfolio={portfolio} />} /> },
    { id: 'prices', title: 'Prices', node: <PricesPanel /> },
    { id: 'positions', title: 'Positions', node: <PositionsPanel /> },
    { id: 'decisions', title: 'Decisions', node: <DecisionsPanel /> },
    { id: 'trades', title: 'Trades', node: <TradesPanel /> },
    { id: 'agents', title: 'Agents', node: <AgentsPanel /> },
    { id: 'alerts', title: 'Alerts', node: <AlertsPanel /> },
    { id: 'feeds', title: 'Feeds', node: <FeedsPanel /> },
    { id: 'custom', title: 'Custom events', node: <CustomEventsPanel /> },
    { id: 'metrics', title: 'Metrics', node: <MetricsPanel /> },
    ...(hasRole(role, 'admin') ? [{ id: 'system', title: 'System', node: <SystemPanel /> } as const] : []),
    { id: 'control', title: 'Control', node: <ControlPanel /> },
  ];
  return (
    <main className="board skip-target" id={MAIN_ID} tabIndex={-1} aria-label="Desk" data-role={role}>
      <DeskGrid panels={panels} {...grid} />
    </main>
  );
}
