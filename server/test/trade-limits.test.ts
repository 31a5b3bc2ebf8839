import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../root';
import { startTestDesk, type TestDesk } from './harness';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({ statsIntervalMs: 3_600_000, tradeLimits: { maxQty: 100, maxNotional: 5_000, priceBandPct: 10 } });
});
afterAll(() => desk.close());

const refusal = (promise: Promise<unknown>) =>
  promise.then(() => 'OK', (e: TRPCClientError<AppRouter>) => `${e.data?.code}: ${e.message}`);

/** Everything a refused booking could have touched. */
async function snapshot() {
  const api = desk.client();
  const [positions, portfolio, trades, prices, decisions] = await Promise.all([
    api.market.positions.query(),
    api.market.portfolio.query(),
    api.market.trades.query(),
    api.market.prices.query(),
    api.agents.decisions.query(),
  ]);
  return { positions, portfolio, trades, prices, decisions, lastId: desk.app.desk.hub.lastId };
}

describe('trading limits on what an operator may book', () => {
  it('refuses a trade over the quantity limit, naming it, and changes nothing', async () => {
    const api = desk.client();
    await api.market.setPrice.mutate({ symbol: 'LIM', price: 50 });
    const before = await snapshot();
    expect(await refusal(api.market.executeTrade.mutate({ symbol: 'LIM', side: 'buy', qty: 101 }))).toBe(
      'BAD_REQUEST: refused by a trading limit: qty 101 is over the limit of 100 per trade (maxQty, DESK_MAX_TRADE_QTY)',
    );
    expect(await snapshot()).toEqual(before);
    expect(await refusal(api.market.executeTrade.mutate({ symbol: 'LIM', side: 'buy', qty: 100 }))).toBe('OK');
  });

  it('refuses a trade over the notional limit at its fill price', async () => {
    const api = desk.client();
    const before = await snapshot();
    expect(await refusal(api.market.executeTrade.mutate({ symbol: 'LIM', side: 'sell', qty: 99, price: 54 }))).toMatch(
      /^BAD_REQUEST: refused by a trading limit: notional 5,346 \(qty × price\) is over the limit of 5,000 per trade \(maxNotional, DESK_MAX_TRADE_NOTIONAL\)$/,
    );
    expect(await snapshot()).toEqual(before);
    expect(await refusal(api.market.executeTrade.mutate({ symbol: 'LIM', side: 'sell', qty: 90, price: 54 }))).toBe('OK');
  });

  it('keeps a chosen trade price and a set price within the band around the last tick', async () => {
    const api = desk.client();
    const before = await snapshot();
    const band = /^BAD_REQUEST: refused by a trading limit: price [\d.,]+ is outside the band of 45.45 to 55 around the last tick 50 \(priceBandPct 10, DESK_PRICE_BAND_PCT\)$/;
    expect(await refusal(api.market.executeTrade.mutate({ symbol: 'LIM', side: 'buy', qty: 1, price: 55.5 }))).toMatch(band);
    expect(await refusal(api.market.executeTrade.mutate({ symbol: 'LIM', side: 'buy', qty: 1, price: 45 }))).toMatch(band);
    expect(await refusal(api.market.setPrice.mutate({ symbol: 'LIM', price: 56 }))).toMatch(band);
    expect(await refusal(api.market.setPrice.mutate({ symbol: 'LIM', nudgePct: -0.2 }))).toMatch(band);
    expect(await snapshot()).toEqual(before);
    expect(await refusal(api.market.setPrice.mutate({ symbol: 'LIM', price: 54.5 }))).toBe('OK');
    // A symbol's first price has nothing to be banded against.
    expect(await refusal(api.market.setPrice.mutate({ symbol: 'NEWSYM', price: 12_345 }))).toBe('OK');
  });

  it('applies to a decision that executes, and not to the desk\'s own commands (the simulator)', async () => {
    const api = desk.client();
    const before = await snapshot();
    const decision = { agentId: 'lim-agent', symbol: 'LIM', action: 'buy' as const, confidence: 0.9, reasoning: 'test', executeQty: 500 };
    expect(await refusal(api.agents.recordDecision.mutate(decision))).toMatch(/^BAD_REQUEST: refused by a trading limit: qty 500 .*DESK_MAX_TRADE_QTY/);
    expect(await snapshot()).toEqual(before);
    // A command without limits (what the simulator submits) is not an operator's booking.
    const result = await desk.app.commands.execute('agents.recordDecision', decision);
    expect(result.decision.tradeId).not.toBeNull();
  });
});
