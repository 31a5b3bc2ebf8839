import * as Tabs from '@radix-ui/react-tabs';
import { memo, useState, type ReactNode } from 'react';
import type { DeskNotification, Signal, SystemAlert } from '../../../../../shared/index';
import { AgentLink } from '../../../components/ui/agent-link';
import { Badge, Meter } from '../../../components/ui/bars';
import { BlotterList } from '../../../components/ui/blotter-list';
import { BlotterTools } from '../../../components/ui/blotter-tools';
import { FeedPauseButton, NewRowsButton } from '../../../components/ui/feed-controls';
import { HistoryFooter } from '../../../components/ui/history-footer';
import { Panel, StreamState } from '../../../components/ui/panel';
import { formatClock } from '../../../lib/format';
import { useBlotter, type Blotter, type BlotterSpec } from '../../../lib/history/use-blotter';
import { useHistoryFeed, type HistoryFeed, type HistoryQuery } from '../../../lib/history/use-history-feed';
import { newestUpdate, type LiveView } from '../../../lib/use-live-view';
import { useFeedHold, type FeedHold } from '../../../lib/use-feed-hold';
import { useNewestFirst } from '../../../lib/use-newest-first';
import { NOTIFICATION_BLOTTER, SIGNAL_BLOTTER, SYSTEM_ALERT_BLOTTER } from '../feed-columns';
import { useLiveNotifications } from '../hooks/use-live-notifications';
import { useNotificationsHistory } from '../hooks/use-notifications-history';
import { useSignalsHistory } from '../hooks/use-signals-history';
import { useSystemAlertsHistory } from '../hooks/use-system-alerts-history';
import { useLiveSignals } from '../hooks/use-live-signals';
import { useLiveSystemAlerts } from '../hooks/use-live-system-alerts';

type Tab = 'signals' | 'notifications' | 'system';

const LABELS: Record<Tab, string> = { signals: 'signals', notifications: 'notifications', system: 'system alerts' };
const FILES: Record<Tab, string> = { signals: 'signals', notifications: 'notifications', system: 'system-alerts' };
const keyOfId = (row: { id: string }) => row.id;

/** One feed of the panel: its stream, its hold, its history below and its search, sort and export. */
interface Feed<T, K extends string> {
  stream: LiveView<T>;
  hold: FeedHold<T>;
  history: HistoryFeed<T>;
  blotter: Blotter<T, K>;
}

/** A feed's pause, held rows, history and blotter; each feed keeps its own while another tab is shown. */
function useFeed<T extends { id: string; ts: number }, K extends string>(
  stream: LiveView<T>,
  useHistory: (arg: null, enabled: boolean) => HistoryQuery<T>,
  spec: BlotterSpec<T, K>,
): Feed<T, K> {
  const hold = useFeedHold(useNewestFirst(stream.data), keyOfId);
  const history = useHistoryFeed(hold, useHistory, null);
  const blotter = useBlotter(history.rows, history.keep, spec);
  return { stream, hold, history, blotter };
}

interface FeedTabProps<T, K extends string> {
  tab: Tab;
  feed: Feed<T, K>;
  emptyText: string;
  /** Prefix of the list's and its states' test ids. */
  testId: string;
  /** Renders a row; the same function at every render (see `BlotterList`). */
  row: (item: T) => ReactNode;
}

/** One feed's tab panel: its state, its "n new" marker, its rows (searched and sorted) and its history footer. */
function FeedTab<T, K extends string>({ tab, feed, emptyText, testId, row }: FeedTabProps<T, K>) {
  const { stream, hold, history, blotter } = feed;
  // The panel body is the tab stop (it scrolls); the tab panels need not be another.
  return (
    <Tabs.Content value={tab} tabIndex={-1} data-testid={`feeds-panel-${tab}`}>
      <StreamState
        error={stream.error}
        ready={stream.ready}
        empty={blotter.rows.length === 0 && hold.newCount === 0}
        emptyText={blotter.search.trim() ? `No loaded ${LABELS[tab]} match the search.` : emptyText}
        testId={testId}
      >
        <NewRowsButton id={`feeds-${tab}`} label={LABELS[tab]} hold={hold} />
        <BlotterList testId={`${testId}-list`} rows={blotter.rows} row={row} listRef={hold.listRef} held={hold.held} />
      </StreamState>
      {stream.ready && !stream.error ? <HistoryFooter id={`feeds-${tab}`} label={LABELS[tab]} feed={history as HistoryFeed<unknown>} /> : null}
    </Tabs.Content>
  );
}

/**
 * Signals, notifications and system alerts, newest first, each capped by its history limit; older
 * ones from history below. Each tab has its own search, sort and export, over the rows it loaded.
 */
export function FeedsPanel() {
  const feeds = {
    signals: useFeed(useLiveSignals(), useSignalsHistory, SIGNAL_BLOTTER),
    notifications: useFeed(useLiveNotifications(), useNotificationsHistory, NOTIFICATION_BLOTTER),
    system: useFeed(useLiveSystemAlerts(), useSystemAlertsHistory, SYSTEM_ALERT_BLOTTER),
  };
  const [tab, setTab] = useState<Tab>('signals');
  const tabs: { id: Tab; label: string; count: number }[] = [
    { id: 'signals', label: 'Signals', count: feeds.signals.stream.data?.length ?? 0 },
    { id: 'notifications', label: 'Notifications', count: feeds.notifications.stream.data?.length ?? 0 },
    { id: 'system', label: 'System', count: feeds.system.stream.data?.length ?? 0 },
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
        updatedAt={newestUpdate(feeds.signals.stream, feeds.notifications.stream, feeds.system.stream)}
        actions={
          <>
            <Tabs.List className="tabs" aria-label="Feeds">
              {tabs.map((t) => (
                <Tabs.Trigger key={t.id} value={t.id} className="tab" data-testid={`feeds-tab-${t.id}`}>
                  {t.label} <span className="tab-count">{t.count}</span>
                </Tabs.Trigger>
              ))}
            </Tabs.List>
            <FeedPauseButton id={`feeds-${tab}`} label={LABELS[tab]} hold={feeds[tab].hold} />
            {/* The shown tab's own search, sort and export: each tab keeps its own while another is shown. */}
            {tab === 'signals' ? <BlotterTools key={tab} id="feeds-signals" label={LABELS.signals} file={FILES.signals} blotter={feeds.signals.blotter} /> : null}
            {tab === 'notifications' ? <BlotterTools key={tab} id="feeds-notifications" label={LABELS.notifications} file={FILES.notifications} blotter={feeds.notifications.blotter} /> : null}
            {tab === 'system' ? <BlotterTools key={tab} id="feeds-system" label={LABELS.system} file={FILES.system} blotter={feeds.system.blotter} /> : null}
          </>
        }
      >
        <FeedTab tab="signals" feed={feeds.signals} emptyText="No signals yet." testId="signals" row={signalRow} />
        <FeedTab tab="notifications" feed={feeds.notifications} emptyText="No notifications." testId="notifications" row={notificationRow} />
        <FeedTab tab="system" feed={feeds.system} emptyText="No system alerts." testId="system-alerts" row={systemAlertRow} />
      </Panel>
    </Tabs.Root>
  );
}

const signalRow = (s: Signal) => <SignalRow key={s.id} signal={s} />;
const notificationRow = (n: DeskNotification) => <NotificationRow key={n.id} notification={n} />;
const systemAlertRow = (a: SystemAlert) => <SystemAlertRow key={a.id} alert={a} />;

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
