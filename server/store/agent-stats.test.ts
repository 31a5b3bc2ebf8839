import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { AgentStats } from '../../shared/schema/agent-stats';
import type { Decision } from '../../shared/schema/agents';
import type { Side, Trade } from '../../shared/schema/market';
import { naiveAgentStats as naive, round8 } from '../test/naive-agent-stats';
import { AgentStatsFold, computeAgentStats, noStats, OUTCOMES_PER_AGENT } from './agent-stats';

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

  it("keeps the outcomes of each agent's newest decision-caused trades only, as many as the agent view lists", () => {
    const fold = new AgentStatsFold();
    const caused = Array.from({ length: OUTCOMES_PER_AGENT + 5 }, (_, i) => ({ ...trade('a', 'AAA', 'buy', 1, 100 + i), decisionId: `d-${i}` }));
    const bare = trade('a', 'AAA', 'buy', 1, 100);
    fold.trades([...caused, bare]);
    fold.trades([trade('b', 'AAA', 'buy', 1, 100)]);
    expect(fold.outcome('a', caused.at(-1)!.id)).toBeDefined();
    expect(fold.outcome('a', caused[5]!.id)).toBeDefined();
    expect(fold.outcome('a', caused[4]!.id)).toBeUndefined();
    expect(fold.outcome('a', bare.id)).toBeUndefined(); // caused by no decision, and not of the last step
    expect(fold.stats().get('a')?.trades).toBe(OUTCOMES_PER_AGENT + 6);
  });

  it('goes on from its snapshot, through JSON, as the fold it was taken from', () => {
    const first = [trade('a', 'AAA', 'buy', 10, 100), { ...trade('a', 'AAA', 'sell', 4, 110), decisionId: 'dx' }, trade('b', 'BBB', 'sell', 2, 50)];
    const then = [trade('a', 'AAA', 'sell', 6, 90), trade('b', 'BBB', 'buy', 2, 40)];
    const decided = [decision('a', 0.8, then[0]!.id), decision('b', 0.4, then[1]!.id)];
    const original = new AgentStatsFold();
    original.trades(first);
    const copy = AgentStatsFold.from(JSON.parse(JSON.stringify(original.snapshot())));
    for (const fold of [original, copy]) {
      fold.trades(then);
      fold.decisions(decided);
    }
    expect(copy.stats()).toEqual(original.stats());
    expect(copy.outcome('a', first[1]!.id)).toEqual(original.outcome('a', first[1]!.id));
    expect(copy.snapshot()).toEqual(original.snapshot());
  });

  it('says null, not 0, for a rate with nothing to count', () => {
    expect(noStats('x')).toMatchObject({ winRate: null, decisionToTradeRate: null, brierScore: null, meanConfidenceWinning: null, meanConfidenceLosing: null, trades: 0 });
    expect(computeAgentStats([], [decision('a', 0.4, null)]).stats.get('a')).toMatchObject({ decisions: 1, decisionToTradeRate: 0, winRate: null, brierScore: null });
  });
});

// ── the same figures, recomputed naively (server/test/naive-agent-stats.ts) ──

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
