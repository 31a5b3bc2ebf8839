import type { DeskNotification, Severity, Signal, SystemAlert } from '../../../../shared/index';
import type { BlotterSpec } from '../../lib/history/use-blotter';

/** Severity in its order, for the sort (the desk's own `severityRank` lives with its zod schemas). */
const severityRank: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** The columns the signals tab sorts by. */
export type SignalColumn = 'ts' | 'symbol' | 'kind' | 'source' | 'strength';

/** Signals: searched in id, symbol, kind and source; sorted by strength signed (strongest sell first when ascending). */
export const SIGNAL_BLOTTER: BlotterSpec<Signal, SignalColumn> = {
  text: (s) => `${s.id} ${s.symbol} ${s.kind} ${s.source}`,
  columns: [
    { key: 'ts', label: 'Time' },
    { key: 'symbol', label: 'Symbol' },
    { key: 'kind', label: 'Kind' },
    { key: 'source', label: 'Source' },
    { key: 'strength', label: 'Strength' },
  ],
  value: (s, column) => (column === 'ts' ? s.ts : s[column]),
  csv: (rows) => import('./feed-csv').then((m) => m.signalsCsv(rows)),
};

/** The columns the notifications tab sorts by. */
export type NotificationColumn = 'ts' | 'severity' | 'title';

/** Notifications: searched in id, severity, title and body; severity sorts by rank (info, warning, critical). */
export const NOTIFICATION_BLOTTER: BlotterSpec<DeskNotification, NotificationColumn> = {
  text: (n) => `${n.id} ${n.severity} ${n.title} ${n.body}`,
  columns: [
    { key: 'ts', label: 'Time' },
    { key: 'severity', label: 'Severity' },
    { key: 'title', label: 'Title' },
  ],
  value: (n, column) => (column === 'ts' ? n.ts : column === 'severity' ? severityRank[n.severity] : n.title),
  csv: (rows) => import('./feed-csv').then((m) => m.notificationsCsv(rows)),
};

/** The columns the system alerts tab sorts by. */
export type SystemAlertColumn = 'ts' | 'severity' | 'component';

/** System alerts: searched in id, severity, component and message; severity sorts by rank. */
export const SYSTEM_ALERT_BLOTTER: BlotterSpec<SystemAlert, SystemAlertColumn> = {
  text: (a) => `${a.id} ${a.severity} ${a.component} ${a.message}`,
  columns: [
    { key: 'ts', label: 'Time' },
    { key: 'severity', label: 'Severity' },
    { key: 'component', label: 'Component' },
  ],
  value: (a, column) => (column === 'ts' ? a.ts : column === 'severity' ? severityRank[a.severity] : a.component),
  csv: (rows) => import('./feed-csv').then((m) => m.systemAlertsCsv(rows)),
};

