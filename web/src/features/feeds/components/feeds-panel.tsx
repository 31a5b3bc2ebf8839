import { memo, useState } from 'react';
import type { DeskNotification, Signal, SystemAlert } from '../../../../../shared/index';
import { Badge, Meter } from '../../../components/ui/bars';
import { Panel, StreamState } from '../../../components/ui/panel';
import { feedMaxFps } from '../../../lib/config';
import { formatClock } from '../../../lib/format';
import { newestUpdate } from '../../../lib/use-live-view';
import { useThrottledValue } from '../../../lib/use-throttled-value';
import { useLiveNotifications } from '../hooks/use-live-notifications';
import { useLiveSignals } from '../hooks/use-live-signals';
import { useLiveSystemAlerts } from '../hooks/use-live-system-alerts';

type Tab = 'signals' | 'notifications' | 'system';

/** Signals, notifications and system alerts, newest first, each capped by its history limit. */
export function FeedsPanel() {
  const signals = useLiveSignals();
  const notifications = useLiveNotifications();
  const systemAlerts = useLiveSystemAlerts();
  const signalRows = useThrottledValue(signals.data, 1000 / feedMaxFps);
  const notificationRows = useThrottledValue(notifications.data, 1000 / feedMaxFps);
  const systemAlertRows = useThrottledValue(systemAlerts.data, 1000 / feedMaxFps);
  const [tab, setTab] = useState<Tab>('signals');
  const tabs: { id: Tab; label: string; count: number }[] = [
    { id: 'signals', label: 'Signals', count: signals.data?.length ?? 0 },
    { id: 'notifications', label: 'Notifications', count: notifications.data?.length ?? 0 },
    { id: 'system', label: 'System', count: systemAlerts.data?.length ?? 0 },
  ];
  return (
    <Panel
      title="Feeds"
      testId="panel-feeds"
      className="area-feeds"
      updatedAt={newestUpdate(signals, notifications, systemAlerts)}
      actions={
        <div className="tabs" role="tablist" aria-label="Feeds">
          {tabs.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              className={`tab ${tab === t.id ? 'tab-on' : ''}`}
              onClick={() => setTab(t.id)}
              data-testid={`feeds-tab-${t.id}`}
            >
              {t.label} <span className="tab-count">{t.count}</span>
            </button>
          ))}
        </div>
      }
    >
      {tab === 'signals' ? (
        <StreamState error={signals.error} ready={signals.ready} empty={!signals.data?.length} emptyText="No signals yet." testId="signals">
          <ul className="feed" data-testid="signals-list">
            {[...(signalRows ?? [])].reverse().map((s) => (
              <SignalRow key={s.id} signal={s} />
            ))}
          </ul>
        </StreamState>
      ) : tab === 'notifications' ? (
        <StreamState error={notifications.error} ready={notifications.ready} empty={!notifications.data?.length} emptyText="No notifications." testId="notifications">
          <ul className="feed" data-testid="notifications-list">
            {[...(notificationRows ?? [])].reverse().map((n) => (
              <NotificationRow key={n.id} notification={n} />
            ))}
          </ul>
        </StreamState>
      ) : (
        <StreamState error={systemAlerts.error} ready={systemAlerts.ready} empty={!systemAlerts.data?.length} emptyText="No system alerts." testId="system-alerts">
          <ul className="feed" data-testid="system-alerts-list">
            {[...(systemAlertRows ?? [])].reverse().map((a) => (
              <SystemAlertRow key={a.id} alert={a} />
            ))}
          </ul>
        </StreamState>
      )}
    </Panel>
  );
}

const SignalRow = memo(function SignalRow({ signal: s }: { signal: Signal }) {
  return (
    <li className="feed-row" data-testid="signal-row" data-id={s.id}>
      <div className="feed-line">
        <span className="feed-time">{formatClock(s.ts)}</span>
        <span className="sym">{s.symbol}</span>
        <span className="feed-text">{s.kind}</span>
        <span className="muted">{s.source}</span>
        <Meter value={Math.abs(s.strength)} tone={s.strength >= 0 ? 'pos' : 'neg'} label="strength" />
      </div>
    </li>
  );
});

const NotificationRow = memo(function NotificationRow({ notification: n }: { notification: DeskNotification }) {
  return (
    <li className={`feed-row sev sev-${n.severity}`} data-testid="notification-row" data-id={n.id}>
      <div className="feed-line">
        <span className="feed-time">{formatClock(n.ts)}</span>
        <Badge tone={n.severity}>{n.severity}</Badge>
        <span className="feed-text">
          <strong>{n.title}</strong>
          {n.body ? <span className="muted"> — {n.body}</span> : null}
        </span>
      </div>
    </li>
  );
});

const SystemAlertRow = memo(function SystemAlertRow({ alert: a }: { alert: SystemAlert }) {
  return (
    <li className={`feed-row sev sev-${a.severity}`} data-testid="system-alert-row" data-id={a.id}>
      <div className="feed-line">
        <span className="feed-time">{formatClock(a.ts)}</span>
        <Badge tone={a.severity}>{a.severity}</Badge>
        <span className="sym">{a.component}</span>
        <span className="feed-text">{a.message}</span>
      </div>
    </li>
  );
});
