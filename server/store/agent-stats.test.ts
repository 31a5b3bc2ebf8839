import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { AgentStats } from '../../shared/schema/agent-stats';
import type { Decision } from '../../shared/schema/agents';
import type { Side, Trade } from '../../shared/schema/market';
import { AgentStatsFold, computeAgentStats, noStats } from './agent-stats';

let serial = 0;
const trade = (agentId: string | null, symbol: string, side: Side, qty: number, price: number): Trade => ({
  id: `t${++serial}`, symbol, side, qty, price, agentId, decisionId: null, realizedPnl: 0, ts: serial,
});
const decision = (agentId: string, confidence: number, tradeId: string | null): Decision => ({
  id: `d${++serial}`, agentId, symbol: 'AAA', action: tradeId ? 'buy' : 'hold', confidence, reasoning: '', tradeId, ts: serial,
});

describe('computeAgentStats', () => {
  it("keeps a book per agent: one agent's sale never closes another's purchase", () => {
    const buyA = trade('a', 'AAA', 'buy', 10, 100);
    const sellB = trade('b', 'AAA', 'sell', 5, 110); // b opens a short: nothing realized
    const winA = trade('a', 'AAA', 'sell', 4, 120); // a realizes 4 * 20 = 80
    const lossA = trade('a', 'AAA', 'sell', 6, 90); // a realizes 6 * -10 = -60, flat
    const coverB = trade('b', 'AAA', 'buy', 5, 100); // b realizes 5 * 10 = 50
    const manual = trade(null, 'AAA', 'buy', 100, 100); // an operator's: nobody's
    const decisions = [decision('a', 0.9, winA.id), decision('a', 0.8, lossA.id), decision('a', 0.5, buyA.id), decision('a', 0.3, null), decision('b', 0.6, coverB.id)];
    const { stats, outcomes } = computeAgentStats([buyA, sellB, winA, lossA, coverB, manual], decisions);
    expect(stats.get('a')).toEqual({
      agentId: 'a', realizedPnl: 20, trades: 3, closingTrades: 2, winningTrades: 1, winRate: 0.5,
      decisions: 4, tradedDecisions: 3, decisionToTradeRate: 0.75, scoredDecisions: 2,
      // (0.9 - 1)² and (0.8 - 0)², averaged
      brierScore: expect.closeTo((0.01 + 0.64) / 2, 12), meanConfidenceWinning: 0.9, meanConfidenceLosing: 0.8,
    } satisfies AgentStats);
    expect(stats.get('b')).toMatchObject({ realizedPnl: 50, trades: 2, closingTrades: 1, winningTrades: 1, winRate: 1, decisionToTradeRate: 1, brierScore: expect.closeTo((0.6 - 1) ** 2, 12) });
    expect(stats.has('null')).toBe(false);
    expect(outcomes.get(winA.id)).toEqual({ tradeId: winA.id, realizedPnl: 80, closing: true, position: { qty: 6, avgPrice: 100 } });
    expect(outcomes.get(buyA.id)).toMatchObject({ realizedPnl: 0, closing: false });
    expect(outcomes.has(manual.id)).toBe(false);
  });

  it('counts a trade through zero as closing: it realizes the closed part and opens the rest', () => {
    const { stats, outcomes } = computeAgentStats([trade('a', 'AAA', 'buy', 10, 100), trade('a', 'AAA', 'sell', 15, 90)], []);
    expect(stats.get('a')).toMatchObject({ realizedPnl: -100, closingTrades: 1, winningTrades: 0, winRate: 0 });
    expect([...outcomes.values()][1]!.position).toEqual({ qty: -5, avgPrice: 90 });
  });

  it('keeps the outcomes of the newest trades only, at most as many as it is told', () => {
    const fold = new AgentStatsFold(4);
    const trades = Array.from({ length: 10 }, (_, i) => trade('a', 'AAA', 'buy', 1, 100 + i));
    fold.trades(trades);
    expect(fold.outcomes().size).toBeLessThanOrEqual(4);
    expect(fold.outcome(trades[9]!.id)).toBeDefined();
    expect(fold.outcome(trades[8]!.id)).toBeDefined();
    expect(fold.outcome(trades[0]!.id)).toBeUndefined();
    expect(fold.stats().get('a')?.trades).toBe(10);
  });

  it('says null, not 0, for a rate with nothing to count', () => {
    expect(noStats('x')).toMatchObject({ winRate: null, decisionToTradeRate: null, brierScore: null, meanConfidenceWinning: null, meanConfidenceLosing: null, trades: 0 });
    expect(computeAgentStats([], [decision('a', 0.4, null)]).stats.get('a')).toMatchObject({ decisions: 1, decisionToTradeRate: 0, winRate: null, brierScore: null });
  });
});

// ── the same figures, recomputed naively ────────────────────────────────

/** The desk's money rounding (8 decimals, no -0), as documented for positions. */
const round8 = (x: number) => Math.round(x * 1e8) / 1e8 + 0;

/**
 * One agent's figures the slow way: its trades symbol by symbol through a plain average-cost
 * position, then its decisions one by one against the trades they name.
 */
function naive(agentId: string, trades: Trade[], decisions: Decision[]) {
  const mine = trades.filter((t) => t.agentId === agentId);
  const result = new Map<string, { realized: number; closing: boolean }>();
  for (const symbol of new Set(mine.map((t) => t.symbol))) {
    let qty = 0;
    let avg = 0;
    for (const t of mine.filter((x) => x.symbol === symbol)) {
      const signed = t.side === 'buy' ? t.qty : -t.qty;
      if (qty === 0 || qty > 0 === signed > 0) {
        avg = round8((Math.abs(qty) * avg + t.qty * t.price) / Math.abs(qty + signed));
        qty += signed;
        result.set(t.id, { realized: 0, closing: false });
        continue;
      }
      const closed = Math.min(Math.abs(qty), t.qty);
      result.set(t.id, { realized: round8(closed * (t.price - avg) * (qty > 0 ? 1 : -1)), closing: true });
      const left = round8(qty + signed);
      if (left === 0) avg = 0;
      else if (left > 0 !== qty > 0) avg = t.price;
      qty = left;
    }
  }
  const closings = [...result.values()].filter((r) => r.closing);
  const myDecisions = decisions.filter((d) => d.agentId === agentId);
  const scored = myDecisions.flatMap((d) => {
    const r = d.tradeId ? result.get(d.tradeId) : undefined;
    return r?.closing ? [{ confidence: d.confidence, won: r.realized > 0 }] : [];
  });
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    realizedPnl: [...result.values()].reduce((sum, r) => sum + r.realized, 0),
    trades: mine.length,
    closingTrades: closings.length,
    winningTrades: closings.filter((r) => r.realized > 0).length,
    winRate: closings.length === 0 ? null : closings.filter((r) => r.realized > 0).length / closings.length,
    decisions: myDecisions.length,
    tradedDecisions: myDecisions.filter((d) => d.tradeId !== null).length,
    decisionToTradeRate: myDecisions.length === 0 ? null : myDecisions.filter((d) => d.tradeId !== null).length / myDecisions.length,
    scoredDecisions: scored.length,
    brierScore: mean(scored.map((s) => (s.confidence - (s.won ? 1 : 0)) ** 2)),
    meanConfidenceWinning: mean(scored.filter((s) => s.won).map((s) => s.confidence)),
    meanConfidenceLosing: mean(scored.filter((s) => !s.won).map((s) => s.confidence)),
  };
}

const AGENTS = ['a', 'b', 'c'];
const step = fc.record({
  agent: fc.constantFrom<string | null>('a', 'b', 'c', null),
  symbol: fc.constantFrom('AAA', 'BBB'),
  side: fc.constantFrom<Side>('buy', 'sell'),
  // Mostly small whole lots, so books often go flat and through zero; sometimes a fraction.
  qty: fc.oneof({ arbitrary: fc.constantFrom(1, 2, 3), weight: 3 }, fc.integer({ min: 1, max: 20 }), fc.double({ min: 0.001, max: 5, noNaN: true }).map(round8)),
  // A few round prices, so break-even closes (realized exactly 0: not a win) come up often.
  price: fc.oneof(fc.constantFrom(99, 100, 101), fc.integer({ min: 9_000, max: 11_000 }).map((cents) => cents / 100)),
  /** The trade's decision: none, or one with this confidence; plus a decision that traded nothing. */
  decided: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  idle: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
});

describe('computeAgentStats against a recomputation', () => {
  test.prop([fc.array(step, { maxLength: 80, size: 'max' })], { seed: 20261215, numRuns: 100 })(
    'equals, for every agent, the figures recomputed from its trades and decisions one by one',
    (steps) => {
      const trades: Trade[] = [];
      const decisions: Decision[] = [];
      for (const s of steps) {
        const t = trade(s.agent, s.symbol, s.side, s.qty, s.price);
        trades.push(t);
        if (s.agent !== null && s.decided !== undefined) decisions.push(decision(s.agent, s.decided, t.id));
        if (s.agent !== null && s.idle !== undefined) decisions.push(decision(s.agent, s.idle, null));
      }
      const { stats } = computeAgentStats(trades, decisions);
      for (const agentId of AGENTS) {
        const expected = naive(agentId, trades, decisions);
        const got = stats.get(agentId);
        if (expected.trades === 0 && expected.decisions === 0) {
          expect(got).toBeUndefined();
          continue;
        }
        const { realizedPnl, brierScore, meanConfidenceWinning, meanConfidenceLosing, ...counts } = got!;
        const { realizedPnl: r, brierScore: b, meanConfidenceWinning: w, meanConfidenceLosing: l, ...expectedCounts } = expected;
        expect(counts).toEqual({ agentId, ...expectedCounts });
        // Sums in another order: equal up to rounding.
        expect(realizedPnl).toBeCloseTo(r, 6);
        for (const [x, y] of [[brierScore, b], [meanConfidenceWinning, w], [meanConfidenceLosing, l]] as const) {
          if (y === null) expect(x).toBeNull();
          else expect(x).toBeCloseTo(y, 9);
        }
      }
    },
  );
});
