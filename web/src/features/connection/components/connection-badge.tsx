import { formatClock } from '../../../lib/format';
import { describeAccess } from '../../../lib/identity';
import { useIdentity } from '../../../lib/use-identity';
import { useReplayMode } from '../../../lib/session-context';
import { useConnectionState } from '../hooks/use-connection-state';

/** Live / Replay / Signing in / Signed out / Token refused / Connecting / Reconnecting (since, attempt, next retry) / Offline. */
export function ConnectionBadge() {
  const access = describeAccess(useConnectionState(), useIdentity());
  // A replay is not live, however well connected: it says so.
  const view = useReplayMode() && access.status === 'live' ? { ...access, status: 'replay', label: 'Replay' } : access;
  return (
    <div className={`conn conn-${view.status}`} data-testid="connection-badge" data-status={view.status} role="status" aria-live="polite">
      <span className="conn-dot" aria-hidden />
      <span className="conn-label" data-testid="connection-label">
        {view.label}
      </span>
      {view.since !== null ? (
        <span className="conn-detail" data-testid="connection-since">
          since {formatClock(view.since)}
        </span>
      ) : null}
      {view.detail ? (
        <span className="conn-detail" data-testid="connection-detail">
          {view.detail}
        </span>
      ) : null}
    </div>
  );
}
