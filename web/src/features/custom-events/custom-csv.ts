import type { DeskCustomEvent } from '../../../../shared/index';
import { toCsv, type CsvColumn } from '../../lib/history/csv';

/** The CSV export's columns: the event's data as JSON, times in ISO 8601 (UTC). */
export const CUSTOM_CSV: ReadonlyArray<CsvColumn<DeskCustomEvent>> = [
  { header: 'time', value: (e) => new Date(e.ts).toISOString() },
  { header: 'id', value: (e) => e.id },
  { header: 'type', value: (e) => e.type },
  { header: 'data', value: (e) => JSON.stringify(e.data) },
];

/** Custom events as CSV. */
export const customEventsCsv = (rows: readonly DeskCustomEvent[]) => toCsv(CUSTOM_CSV, rows);
