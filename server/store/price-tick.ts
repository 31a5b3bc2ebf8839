import type { PriceTick } from '../../shared/schema/market';
import { money } from './trade-math';

/**
 * The tick of `symbol` at `rawPrice` after `previous` (the symbol's last tick, if any): its spread
 * around the price and its change against the session open, which the previous tick carries. The
 * market writes live ticks with it and a replay rebuilds past ones the same way.
 */
export function tickOf(symbol: string, rawPrice: number, previous: PriceTick | undefined, volume: number, ts: number): PriceTick {
  const price = money(rawPrice);
  const open = previous ? money(previous.price - previous.change) : price;
  const spread = money(Math.max(price * 0.0002, 0.01));
  return {
    symbol,
    price,
    bid: money(price - spread / 2),
    ask: money(price + spread / 2),
    change: money(price - open),
    changePct: money(((price - open) / open) * 100),
    volume,
    ts,
  };
}
