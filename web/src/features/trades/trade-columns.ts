import type { Trade } from '../../../../shared/index';
import type { BlotterSpec } from '../../lib/history/use-blotter';

/** The columns the trades blotter sorts by. */
export type TradeColumn = 'ts' | 'symbol' | 'qty' | 'price' | 'pnl';

export const TRADE_SORT_COLUMNS: ReadonlyArray<{ key: TradeColumn; label: string }> = [
  { key: 'ts', label: 'Time' },
  { key: 'symbol', label: 'Symbol' },
  { key: 'qty', label: 'Qty' },
  { key: 'price', label: 'Price' },
  { key: 'pnl', label: 'P&L' },
];

/** A trade's value in a sort column. */
export function tradeValue(trade: Trade, column: TradeColumn): string | number {
  switch (column) {
    case 'ts':
      return trade.ts;
    case 'symbol':
      return trade.symbol;
    case 'qty':
      return trade.qty;
    case 'price':
      return trade.price;
    case 'pnl':
      return trade.realizedPnl;
  }
}

/** What the search box looks in. */
export const tradeText = (t: Trade) => `${t.id} ${t.symbol} ${t.side} ${t.agentId ?? 'manual'} ${t.decisionId ?? ''} ${t.qty} ${t.price}`;

/** The trades blotter's search, sort and export. */
export const TRADE_BLOTTER: BlotterSpec<Trade, TradeColumn> = { text: tradeText, columns: TRADE_SORT_COLUMNS, value: tradeValue, csv: (rows) => import('./trade-csv').then((m) => m.tradesCsv(rows)) };
