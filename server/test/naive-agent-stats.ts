import type { Decision } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';

/** The desk's money rounding (8 decimals, no -0), as documented for positions. */
export const round8 = (x: number) => Math.round(x * 1e8) / 1e8 + 0;

/**
 * One agent's figures the slow way: its trades symbol by symbol through a plain average-cost
 * position, then its decisions one by one against the trades they name.
 */
export function naiveAgentStats(agentId: string, trades: readonly Trade[], decisions: readonly Decision[]) {
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
