import type { Trade } from '../../../../shared/index';
import { toCsv, type CsvColumn } from '../../lib/history/csv';

/** The CSV export's columns: every field, times in ISO 8601 (UTC). */
export const TRADE_CSV: ReadonlyArray<CsvColumn<Trade>> = [
  { header: 'time', value: (t) => new Date(t.ts).toISOString() },
  { header: 'id', value: (t) => t.id },
  { header: 'agent', value: (t) => t.agentId ?? '' },
  { header: 'decision', value: (t) => t.decisionId ?? '' },
  { header: 'symbol', value: (t) => t.symbol },
  { header: 'side', value: (t) => t.side },
  { header: 'qty', value: (t) => t.qty },
  { header: 'price', value: (t) => t.price },
  { header: 'realizedPnl', value: (t) => t.realizedPnl },
];

/** Trades as CSV. */
export const tradesCsv = (rows: readonly Trade[]) => toCsv(TRADE_CSV, rows);
