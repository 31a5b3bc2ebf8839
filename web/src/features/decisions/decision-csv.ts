import type { Decision } from '../../../../shared/index';
import { toCsv, type CsvColumn } from '../../lib/history/csv';

/** The CSV export's columns: every field, times in ISO 8601 (UTC). */
export const DECISION_CSV: ReadonlyArray<CsvColumn<Decision>> = [
  { header: 'time', value: (d) => new Date(d.ts).toISOString() },
  { header: 'id', value: (d) => d.id },
  { header: 'agent', value: (d) => d.agentId },
  { header: 'symbol', value: (d) => d.symbol },
  { header: 'action', value: (d) => d.action },
  { header: 'confidence', value: (d) => d.confidence },
  { header: 'trade', value: (d) => d.tradeId ?? '' },
  { header: 'reasoning', value: (d) => d.reasoning },
];

/** Decisions as CSV. */
export const decisionsCsv = (rows: readonly Decision[]) => toCsv(DECISION_CSV, rows);
