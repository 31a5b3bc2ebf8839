import { formatClock } from '../../../lib/format';
import { describeAccess } from '../../../lib/identity';
import { useIdentity } from '../../../lib/use-identity';
import { useConnectionState } from '../hooks/use-connection-state';

/** Live / Signing in / Signed out / Token refused / Connecting / Reconnecting (since, attempt, next retry) / Offline. */
export function ConnectionBadge() {
  const view = describeAccess(useConnectionState(), useIdentity());
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
