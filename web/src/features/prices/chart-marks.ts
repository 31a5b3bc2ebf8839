import type { AlertRule, Candle, Position, Side, Trade } from '../../../../shared/index';
import type { TradeFocus } from '../../lib/chart-focus';
import { formatClock, formatCompact, formatPrice } from '../../lib/format';

/** One trade marker: on the bar it happened in (time in seconds, as the chart counts). */
export interface TradeMark {
  id: string;
  time: number;
  side: Side;
  text: string;
  highlighted: boolean;
}

/**
 * The open time (ms) of the bar among sorted `bars` that holds `ts`: the newest that opened at or
 * before it. A trade in a bar with no tick (the desk fills at the last price without a tick) sits
 * on the bar before, whose close it traded at; one before the first bar held has none.
 */
export function barOf(bars: readonly Candle[], ts: number): number | undefined {
  if (bars.length === 0 || ts < bars[0]!.openTime) return undefined;
  let lo = 0;
  let hi = bars.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bars[mid]!.openTime <= ts) lo = mid;
    else hi = mid - 1;
  }
  return bars[lo]!.openTime;
}

/**
 * Markers for the trades from the first bar on, oldest first (the chart requires it). The
 * focused trade is highlighted; when the chart does not know that trade (older than the trades it
 * holds), it is marked from what the focus says.
 */
export function tradeMarks(trades: readonly Trade[], bars: readonly Candle[], focus: TradeFocus | null): TradeMark[] {
  const marks: TradeMark[] = [];
  const seen = new Set<string>();
  const add = (id: string, side: Side, ts: number, text: string) => {
    const open = barOf(bars, ts);
    if (open === undefined || seen.has(id)) return;
    seen.add(id);
    const highlighted = focus?.tradeId === id;
    marks.push({ id, time: open / 1000, side, text: highlighted ? text : side === 'buy' ? 'B' : 'S', highlighted });
  };
  for (const t of trades) add(t.id, t.side, t.ts, `${t.side} ${formatCompact(t.qty)} @ ${formatPrice(t.price)}`);
  if (focus) add(focus.tradeId, focus.side, focus.ts, focus.side);
  return marks.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
}

/** A horizontal line across the chart at a price. */
export interface PriceLine {
  id: string;
  kind: 'avg' | 'alert';
  price: number;
  title: string;
}

/** The lines of a symbol: its open position's average price, and each alert rule's threshold. */
export function priceLines(symbol: string, position: Position | undefined, rules: readonly AlertRule[]): PriceLine[] {
  const lines: PriceLine[] = [];
  if (position && position.symbol === symbol && position.qty !== 0 && position.closedAt === null) {
    lines.push({ id: 'avg', kind: 'avg', price: position.avgPrice, title: `avg ${position.side}` });
  }
  for (const rule of rules) {
    if (rule.symbol !== symbol) continue;
    lines.push({ id: `alert:${rule.id}`, kind: 'alert', price: rule.threshold, title: `alert ${rule.condition === 'above' ? '≥' : '≤'}` });
  }
  return lines;
}

/** The crosshair readout's words for a bar. */
export interface Readout {
  time: string;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  /** Down, up or flat against its open. */
  tone: 'pos' | 'neg' | 'flat';
}

/** `bar` in words: `14:03:00`, prices as the desk formats them; the date too when not today's. */
export function readoutOf(bar: Candle, now = Date.now()): Readout {
  const day = new Date(bar.openTime).toDateString() === new Date(now).toDateString() ? '' : `${new Date(bar.openTime).toLocaleDateString('en-CA')} `;
  return {
    time: `${day}${formatClock(bar.openTime)}`,
    open: formatPrice(bar.open),
    high: formatPrice(bar.high),
    low: formatPrice(bar.low),
    close: formatPrice(bar.close),
    volume: formatCompact(bar.volume),
    tone: bar.close > bar.open ? 'pos' : bar.close < bar.open ? 'neg' : 'flat',
  };
}
