import { AgentsPanel } from '../features/agents';
import { AlertCentre, AlertsPanel } from '../features/alerts';
import { ConnectionBadge, HeaderStats } from '../features/connection';
import { ControlPanel } from '../features/control';
import { CustomEventsPanel } from '../features/custom-events';
import { DecisionsPanel } from '../features/decisions';
import { FeedsPanel } from '../features/feeds';
import { MetricsPanel } from '../features/metrics';
import { PortfolioPanel } from '../features/portfolio';
import { PositionsPanel } from '../features/positions';
import { PricesPanel } from '../features/prices';
import { SessionChip, SignInScreen } from '../features/session';
import { SystemPanel } from '../features/system';
import { TradesPanel } from '../features/trades';
import { MAIN_ID, SkipLinks, type SkipLink } from '../components/ui/skip-links';
import { hasRole, type Role } from '../lib/identity';
import { useIdentity } from '../lib/use-identity';
import { useIdentityRechecks } from '../lib/use-identity-rechecks';

/** Where the skip links lead on the desk: the panels a keyboard user wants first, past the header. */
const DESK_SKIP_LINKS: readonly SkipLink[] = [
  { target: MAIN_ID, label: 'Skip to main desk' },
  { target: 'panel-alerts', label: 'Skip to alerts' },
  { target: 'panel-control', label: 'Skip to controls' },
];
const SIGN_IN_SKIP_LINKS: readonly SkipLink[] = [{ target: MAIN_ID, label: 'Skip to sign-in' }];

/** The dashboard: skip links, header, then the sign-in screen or the panels the caller's role may see. */
export function App() {
  const identity = useIdentity();
  useIdentityRechecks();
  return (
    <div className="app">
      <SkipLinks links={identity.status === 'signed-in' ? DESK_SKIP_LINKS : SIGN_IN_SKIP_LINKS} />
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden />
          <h1>livedesk</h1>
        </div>
        {identity.status === 'signed-in' ? (
          <>
            <AlertCentre />
            <HeaderStats />
          </>
        ) : null}
        <SessionChip identity={identity} />
        <ConnectionBadge />
      </header>
      {identity.status === 'refused' ? (
        <SignInScreen identity={identity} />
      ) : identity.status === 'signed-in' ? (
        <Board role={identity.role} />
      ) : (
        <main className="sign-in skip-target" id={MAIN_ID} tabIndex={-1} data-testid="checking">
          <p className="muted">Reaching the desk…</p>
        </main>
      )}
    </div>
  );
}

/** The panels; System only for admins (its streams are theirs alone). */
function Board({ role }: { role: Role }) {
  return (
    <main className="board skip-target" id={MAIN_ID} tabIndex={-1} aria-label="Desk" data-role={role}>
      <PortfolioPanel />
      <PricesPanel />
      <PositionsPanel />
      <DecisionsPanel />
      <TradesPanel />
      <AgentsPanel />
      <AlertsPanel />
      <FeedsPanel />
      <CustomEventsPanel />
      <MetricsPanel />
      {hasRole(role, 'admin') ? <SystemPanel /> : null}
      <ControlPanel />
    </main>
  );
}
