import type { Decision } from '../../../../shared/index';
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

/** The decisions blotter's search, sort and export. */
export const DECISION_BLOTTER: BlotterSpec<Decision, DecisionColumn> = {
  text: decisionText,
  columns: DECISION_SORT_COLUMNS,
  value: decisionValue,
  csv: (rows) => import('./decision-csv').then((m) => m.decisionsCsv(rows)),
};
