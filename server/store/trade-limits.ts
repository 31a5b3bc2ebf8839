import { TRPCError } from '@trpc/server';

/**
 * What one operator's call may book. They travel inside the command (set by the instance that took
 * the call), so folding a logged command decides the same on every instance and on replay.
 */
export interface TradeLimits {
  /** Largest quantity of one trade. @default 1000000 */
  maxQty: number;
  /** Largest notional (qty × fill price) of one trade. @default 10000000 */
  maxNotional: number;
  /**
   * Band around the last tick, in percent: a price more than this much above it, or below
   * `last / (1 + pct / 100)`, is refused (100: at most double or half in one step). 0: no band.
   * @default 100
   */
  priceBandPct: number;
}

export const defaultTradeLimits: TradeLimits = { maxQty: 1_000_000, maxNotional: 10_000_000, priceBandPct: 100 };

const amount = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** Why a trade breaks a limit, or null. `explicitPrice`: the caller chose the price (band applies). */
export function tradeRefusal(limits: TradeLimits, trade: { qty: number; price: number; explicitPrice: boolean }, last: number | undefined): string | null {
  if (trade.qty > limits.maxQty) {
    return `qty ${amount(trade.qty)} is over the limit of ${amount(limits.maxQty)} per trade (maxQty, DESK_MAX_TRADE_QTY)`;
  }
  const notional = trade.qty * trade.price;
  if (notional > limits.maxNotional) {
    return `notional ${amount(notional)} (qty × price) is over the limit of ${amount(limits.maxNotional)} per trade (maxNotional, DESK_MAX_TRADE_NOTIONAL)`;
  }
  return trade.explicitPrice ? priceRefusal(limits, trade.price, last) : null;
}

/** Why a price is outside the band around the last tick, or null (also when there is no last tick). */
export function priceRefusal(limits: TradeLimits, price: number, last: number | undefined): string | null {
  if (last === undefined || limits.priceBandPct <= 0) return null;
  const ratio = 1 + limits.priceBandPct / 100;
  if (price <= last * ratio && price >= last / ratio) return null;
  const low = last / ratio;
  const high = last * ratio;
  return `price ${amount(price)} is outside the band of ${amount(low)} to ${amount(high)} around the last tick ${amount(last)} (priceBandPct ${limits.priceBandPct}, DESK_PRICE_BAND_PCT)`;
}

/** Throws BAD_REQUEST with `reason` (nothing has been changed yet when it is called). */
export function refuseOver(reason: string | null): void {
  if (reason !== null) throw new TRPCError({ code: 'BAD_REQUEST', message: `refused by a trading limit: ${reason}` });
}
