import type { Decision } from '../../../../shared/index';
import { toCsv, type CsvColumn } from '../../lib/history/csv';
import type { BlotterSpec } from '../../lib/history/use-blotter';

/** The columns the decisions blotter sorts by. */
export type DecisionColumn = 'ts' | 'agent' | 'symbol' | 'action' | 'confidence';

export const DECISION_SORT_COLUMNS: ReadonlyArray<{ key: DecisionColumn; label: string }> = [
  { key: 'ts', label: 'Time' },
  { key: 'agent', label: 'Agent' },
  { key: 'symbol', label: 'Symbol' },
  { key: 'action', label: 'Action' },
  { key: 'confidence', label: 'Confidence' },
];

/** A decision's value in a sort column. */
export function decisionValue(d: Decision, column: DecisionColumn): string | number {
  switch (column) {
    case 'ts':
      return d.ts;
    case 'agent':
      return d.agentId;
    case 'symbol':
      return d.symbol;
    case 'action':
      return d.action;
    case 'confidence':
      return d.confidence;
  }
}

/** What the search box looks in: the reasoning too. */
export const decisionText = (d: Decision) => `${d.id} ${d.agentId} ${d.symbol} ${d.action} ${d.tradeId ?? ''} ${d.reasoning}`;

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

/** The decisions blotter's search, sort and export. */
export const DECISION_BLOTTER: BlotterSpec<Decision, DecisionColumn> = {
  text: decisionText,
  columns: DECISION_SORT_COLUMNS,
  value: decisionValue,
  csv: (rows) => toCsv(DECISION_CSV, rows),
};
