import type { DeskNotification, Signal, SystemAlert } from '../../../../shared/index';
import { toCsv, type CsvColumn } from '../../lib/history/csv';

const iso = (ts: number) => new Date(ts).toISOString();

/** The signals export's columns: every field, times in ISO 8601 (UTC). */
export const SIGNAL_CSV: ReadonlyArray<CsvColumn<Signal>> = [
  { header: 'time', value: (s) => iso(s.ts) },
  { header: 'id', value: (s) => s.id },
  { header: 'symbol', value: (s) => s.symbol },
  { header: 'kind', value: (s) => s.kind },
  { header: 'source', value: (s) => s.source },
  { header: 'strength', value: (s) => s.strength },
];

/** The notifications export's columns: every field, times in ISO 8601 (UTC). */
export const NOTIFICATION_CSV: ReadonlyArray<CsvColumn<DeskNotification>> = [
  { header: 'time', value: (n) => iso(n.ts) },
  { header: 'id', value: (n) => n.id },
  { header: 'severity', value: (n) => n.severity },
  { header: 'title', value: (n) => n.title },
  { header: 'body', value: (n) => n.body },
];

/** The system alerts export's columns: every field, times in ISO 8601 (UTC). */
export const SYSTEM_ALERT_CSV: ReadonlyArray<CsvColumn<SystemAlert>> = [
  { header: 'time', value: (a) => iso(a.ts) },
  { header: 'id', value: (a) => a.id },
  { header: 'severity', value: (a) => a.severity },
  { header: 'component', value: (a) => a.component },
  { header: 'message', value: (a) => a.message },
];

/** Signals as CSV. */
export const signalsCsv = (rows: readonly Signal[]) => toCsv(SIGNAL_CSV, rows);
/** Notifications as CSV. */
export const notificationsCsv = (rows: readonly DeskNotification[]) => toCsv(NOTIFICATION_CSV, rows);
/** System alerts as CSV. */
export const systemAlertsCsv = (rows: readonly SystemAlert[]) => toCsv(SYSTEM_ALERT_CSV, rows);
