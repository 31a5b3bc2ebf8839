import { useConnectionState } from '../hooks/use-connection-state';

/** Live / Connecting / Reconnecting (attempt, next retry) / Offline. */
export function ConnectionBadge() {
  const view = useConnectionState();
  return (
    <div className={`conn conn-${view.status}`} data-testid="connection-badge" data-status={view.status} role="status" aria-live="polite">
      <span className="conn-dot" aria-hidden />
      <span className="conn-label" data-testid="connection-label">
        {view.label}
      </span>
      {view.detail ? (
        <span className="conn-detail" data-testid="connection-detail">
          {view.detail}
        </span>
      ) : null}
    </div>
  );
}
