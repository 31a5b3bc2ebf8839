import type { Portfolio, Position, Side } from '../../shared/schema/market';

/** Money values are rounded to this many decimals so sums do not drift. */
export function money(value: number): number {
  // `+ 0` turns -0 into 0: JSON writes -0 as 0, so a -0 kept in memory would differ from the same
  // value read back from a snapshot, the journal or the wire.
  return Math.round(value * 1e8) / 1e8 + 0;
}

/** The part of a position the fill arithmetic needs: signed quantity (long > 0) and average price. */
export interface Holding {
  qty: number;
  avgPrice: number;
}

export interface FillResult {
  /** Signed quantity after the fill; 0 when closed. */
  qty: number;
  avgPrice: number;
  /** P&L realized by the part of the fill that reduced the holding. */
  realized: number;
  /** True when the fill closed the holding and opened one on the other side. */
  flipped: boolean;
}

/**
 * Applies a fill to a holding. Adding keeps a volume-weighted average price; reducing realizes
 * (price - avg) per unit in the holding's direction; going through zero opens the remainder at
 * the fill price.
 */
export function applyFill(holding: Holding | null, side: Side, qty: number, price: number): FillResult {
  const signed = side === 'buy' ? qty : -qty;
  const current = holding?.qty ?? 0;
  const avg = holding?.avgPrice ?? 0;
  if (current === 0 || Math.sign(current) === Math.sign(signed)) {
    // Rounded as a reduction is: fractional fills (0.0849 + 0.0024) must not leave 0.08729999999999999.
    const total = money(current + signed);
    const avgPrice = (Math.abs(current) * avg + qty * price) / Math.abs(total);
    return { qty: total, avgPrice: money(avgPrice), realized: 0, flipped: false };
  }
  const closing = Math.min(Math.abs(current), qty);
  const realized = money(closing * (price - avg) * Math.sign(current));
  const remaining = money(current + signed);
  if (remaining === 0) return { qty: 0, avgPrice: 0, realized, flipped: false };
  if (Math.sign(remaining) === Math.sign(current)) return { qty: remaining, avgPrice: avg, realized, flipped: false };
  return { qty: remaining, avgPrice: price, realized, flipped: true };
}

/** Rebuilds a position's market fields from its holding and the last price. */
export function markPosition(position: Position, lastPrice: number): Position {
  const signedQty = position.side === 'long' ? position.qty : -position.qty;
  return {
    ...position,
    lastPrice,
    marketValue: money(signedQty * lastPrice),
    unrealizedPnl: money((lastPrice - position.avgPrice) * signedQty),
  };
}

export interface Ledger {
  cash: number;
  realizedPnl: number;
  /** Equity at the start of the day, for day P&L. */
  dayStartEquity: number;
}

export function computePortfolio(ledger: Ledger, positions: Iterable<Position>, now: number): Portfolio {
  let positionsValue = 0;
  let unrealizedPnl = 0;
  for (const position of positions) {
    positionsValue += position.marketValue;
    unrealizedPnl += position.unrealizedPnl;
  }
  const equity = money(ledger.cash + positionsValue);
  return {
    cash: money(ledger.cash),
    equity,
    positionsValue: money(positionsValue),
    unrealizedPnl: money(unrealizedPnl),
    realizedPnl: money(ledger.realizedPnl),
    dayPnl: money(equity - ledger.dayStartEquity),
    updatedAt: now,
  };
}
