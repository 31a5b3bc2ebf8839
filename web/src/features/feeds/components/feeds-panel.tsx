import * as Tabs from '@radix-ui/react-tabs';
import { memo, useState, type ReactNode } from 'react';
import type { DeskNotification, Signal, SystemAlert } from '../../../../../shared/index';
import { AgentLink } from '../../../components/ui/agent-link';
import { Badge, Meter } from '../../../components/ui/bars';
import { FeedPauseButton, NewRowsButton } from '../../../components/ui/feed-controls';
import { HistoryFooter } from '../../../components/ui/history-footer';
import { Panel, StreamState } from '../../../components/ui/panel';
import { formatClock } from '../../../lib/format';
import { useHistoryFeed, type HistoryFeed } from '../../../lib/history/use-history-feed';
import { newestUpdate } from '../../../lib/use-live-view';
import { useFeedHold, type FeedHold } from '../../../lib/use-feed-hold';
import { useNewestFirst } from '../../../lib/use-newest-first';
import { useLiveNotifications } from '../hooks/use-live-notifications';
import { useNotificationsHistory } from '../hooks/use-notifications-history';
import { useSignalsHistory } from '../hooks/use-signals-history';
import { useSystemAlertsHistory } from '../hooks/use-system-alerts-history';
import { useLiveSignals } from '../hooks/use-live-signals';
import { useLiveSystemAlerts } from '../hooks/use-live-system-alerts';

type Tab = 'signals' | 'notifications' | 'system';

const LABELS: Record<Tab, string> = { signals: 'signals', notifications: 'notifications', system: 'system alerts' };
const keyOfId = (row: { id: string }) => row.id;

interface FeedTabProps<T> {
  tab: Tab;
  stream: { error: string | null; ready: boolean; data: readonly T[] | undefined };
  hold: FeedHold<T>;
  /** The rows shown: the held or live ones, then older ones from history. */
  history: HistoryFeed<T>;
  emptyText: string;
  /** Prefix of the list's and its states' test ids. */
  testId: string;
  row: (item: T) => ReactNode;
}

/** One feed's tab panel: its state, its "n new" marker, and its held rows. */
function FeedTab<T>({ tab, stream, hold, history, emptyText, testId, row }: FeedTabProps<T>) {
  // The panel body is the tab stop (it scrolls); the tab panels need not be another.
  return (
    <Tabs.Content value={tab} tabIndex={-1} data-testid={`feeds-panel-${tab}`}>
      <StreamState error={stream.error} ready={stream.ready} empty={!stream.data?.length && history.rows.length === 0} emptyText={emptyText} testId={testId}>
        <NewRowsButton id={`feeds-${tab}`} label={LABELS[tab]} hold={hold} />
        <ul className="feed" data-testid={`${testId}-list`} ref={hold.listRef} data-held={hold.held}>
          {history.rows.map(row)}
        </ul>
      </StreamState>
      {stream.ready && !stream.error ? <HistoryFooter id={`feeds-${tab}`} label={LABELS[tab]} feed={history as HistoryFeed<unknown>} /> : null}
    </Tabs.Content>
  );
}

/** Signals, notifications and system alerts, newest first, each capped by its history limit; older ones from history below. */
export function FeedsPanel() {
  const signals = useLiveSignals();
  const notifications = useLiveNotifications();
  const systemAlerts = useLiveSystemAlerts();
  // Each feed keeps its own pause and held rows while another tab is shown.
  const holds = {
    signals: useFeedHold(useNewestFirst(signals.data), keyOfId),
    notifications: useFeedHold(useNewestFirst(notifications.data), keyOfId),
    system: useFeedHold(useNewestFirst(systemAlerts.data), keyOfId),
  };
  const histories = {
    signals: useHistoryFeed(holds.signals, useSignalsHistory, null),
    notifications: useHistoryFeed(holds.notifications, useNotificationsHistory, null),
    system: useHistoryFeed(holds.system, useSystemAlertsHistory, null),
  };
  const [tab, setTab] = useState<Tab>('signals');
  const tabs: { id: Tab; label: string; count: number }[] = [
    { id: 'signals', label: 'Signals', count: signals.data?.length ?? 0 },
    { id: 'notifications', label: 'Notifications', count: notifications.data?.length ?? 0 },
    { id: 'system', label: 'System', count: systemAlerts.data?.length ?? 0 },
  ];
  // Radix Tabs gives the tab pattern: arrow keys, Home/End, one tab stop for the list, and each tab
  // tied to its panel (aria-controls / aria-labelledby). The root is a React ancestor of both the
  // list (in the panel's title bar) and the panels (in its body); it adds no box of its own.
  return (
    <Tabs.Root className="tabs-root" value={tab} onValueChange={(value) => setTab(value as Tab)}>
      <Panel
        title="Feeds"
        testId="panel-feeds"
        className="area-feeds"
        updatedAt={newestUpdate(signals, notifications, systemAlerts)}
        actions={
          <>
            <Tabs.List className="tabs" aria-label="Feeds">
              {tabs.map((t) => (
                <Tabs.Trigger key={t.id} value={t.id} className="tab" data-testid={`feeds-tab-${t.id}`}>
                  {t.label} <span className="tab-count">{t.count}</span>
                </Tabs.Trigger>
              ))}
            </Tabs.List>
            <FeedPauseButton id={`feeds-${tab}`} label={LABELS[tab]} hold={holds[tab]} />
          </>
        }
      >
        <FeedTab tab="signals" stream={signals} hold={holds.signals} history={histories.signals} emptyText="No signals yet." testId="signals" row={(s) => <SignalRow key={s.id} signal={s} />} />
        <FeedTab tab="notifications" stream={notifications} hold={holds.notifications} history={histories.notifications} emptyText="No notifications." testId="notifications" row={(n) => <NotificationRow key={n.id} notification={n} />} />
        <FeedTab tab="system" stream={systemAlerts} hold={holds.system} history={histories.system} emptyText="No system alerts." testId="system-alerts" row={(a) => <SystemAlertRow key={a.id} alert={a} />} />
      </Panel>
    </Tabs.Root>
  );
}

const SignalRow = memo(function SignalRow({ signal: s }: { signal: Signal }) {
  return (
    <li className="feed-row" data-testid="signal-row" data-id={s.id}>
      <div className="feed-line">
        <span className="feed-time">{formatClock(s.ts)}</span>
        <span className="sym">{s.symbol}</span>
        <span className="feed-text">{s.kind}</span>
        <span className="muted">
          <AgentLink agentId={s.source} ifKnown />
        </span>
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
