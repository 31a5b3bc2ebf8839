import { describe, expect, it } from 'vitest';
import { priceRefusal, tradeRefusal, type TradeLimits } from './trade-limits';

const limits: TradeLimits = { maxQty: 100, maxNotional: 5_000, priceBandPct: 10 };

describe('trade limits', () => {
  it('refuses a quantity over the limit, naming it', () => {
    expect(tradeRefusal(limits, { qty: 100, price: 1, explicitPrice: false }, 1)).toBeNull();
    expect(tradeRefusal(limits, { qty: 101, price: 1, explicitPrice: false }, 1)).toMatch(/^qty 101 is over the limit of 100 per trade \(maxQty, DESK_MAX_TRADE_QTY\)$/);
  });

  it('refuses a notional over the limit at the fill price', () => {
    expect(tradeRefusal(limits, { qty: 50, price: 100, explicitPrice: false }, 100)).toBeNull();
    expect(tradeRefusal(limits, { qty: 51, price: 100, explicitPrice: false }, 100)).toMatch(/^notional 5,100 .* limit of 5,000 .*DESK_MAX_TRADE_NOTIONAL/);
  });

  it('keeps a chosen price within the band of the last tick, the same way up and down', () => {
    expect(priceRefusal(limits, 110, 100)).toBeNull();
    expect(priceRefusal(limits, 100 / 1.1, 100)).toBeNull();
    expect(priceRefusal(limits, 110.01, 100)).toMatch(/outside the band of 90.91 to 110 around the last tick 100/);
    expect(priceRefusal(limits, 90.9, 100)).toMatch(/DESK_PRICE_BAND_PCT/);
    expect(priceRefusal(limits, 1e6, undefined)).toBeNull();
    expect(priceRefusal({ ...limits, priceBandPct: 0 }, 1e6, 1)).toBeNull();
    // A trade at the last price is not banded; one at a chosen price is.
    expect(tradeRefusal(limits, { qty: 1, price: 200, explicitPrice: false }, 100)).toBeNull();
    expect(tradeRefusal(limits, { qty: 1, price: 200, explicitPrice: true }, 100)).toMatch(/band/);
  });
});
