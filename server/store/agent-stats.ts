import type { AgentStats, TradeOutcome } from '../../shared/schema/agent-stats';
import type { Decision } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';
import { applyFill, money, type Holding } from './trade-math';

/** What `computeAgentStats` finds: every agent's figures, and each agent trade's outcome by trade id. */
export interface AgentStatsResult {
  stats: Map<string, AgentStats>;
  outcomes: Map<string, TradeOutcome>;
}

interface Tally {
  realized: number;
  trades: number;
  closing: number;
  winning: number;
  decisions: number;
  traded: number;
  scored: number;
  brierSum: number;
  winConfidence: number;
  wins: number;
  lossConfidence: number;
  losses: number;
}

const emptyTally = (): Tally => ({
  realized: 0, trades: 0, closing: 0, winning: 0, decisions: 0, traded: 0, scored: 0, brierSum: 0, winConfidence: 0, wins: 0, lossConfidence: 0, losses: 0,
});

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/** Trade outcomes a fold remembers at most (the newest, at least half as many): enough to score a decision and show recent ones. */
export const OUTCOMES_KEPT = 20_000;

/**
 * The running state of per-agent performance: fold trades and decisions into it in the order they
 * were committed (a commit's trades before its decisions), as often as new ones come; `stats()`
 * reads the figures. Folding everything at once or in any number of steps gives the same figures.
 */
export class AgentStatsFold {
  private readonly tallies = new Map<string, Tally>();
  private readonly books = new Map<string, Holding>();
  // Outcomes of the newest trades by trade id, in two generations: when the newer holds half of what
  // is kept, it becomes the older and the older is dropped, so keeping them bounded costs O(1).
  private newer = new Map<string, TradeOutcome>();
  private older = new Map<string, TradeOutcome>();

  constructor(private readonly outcomesKept = OUTCOMES_KEPT) {}

  /** The outcome of one of the newest trades (at least the newest `outcomesKept / 2`). */
  outcome(tradeId: string): TradeOutcome | undefined {
    return this.newer.get(tradeId) ?? this.older.get(tradeId);
  }

  /** Every outcome still kept, oldest first. */
  outcomes(): Map<string, TradeOutcome> {
    return new Map([...this.older, ...this.newer]);
  }

  private tallyOf(agentId: string): Tally {
    let tally = this.tallies.get(agentId);
    if (!tally) this.tallies.set(agentId, (tally = emptyTally()));
    return tally;
  }

  /** Whether the fold has seen a trade or a decision of the agent. */
  has(agentId: string): boolean {
    return this.tallies.has(agentId);
  }

  trades(trades: Iterable<Trade>): void {
    for (const trade of trades) {
      if (trade.agentId === null) continue;
      const bookKey = `${trade.agentId}\u0000${trade.symbol}`;
      const holding = this.books.get(bookKey) ?? null;
      const closing = holding !== null && holding.qty !== 0 && Math.sign(holding.qty) !== (trade.side === 'buy' ? 1 : -1);
      const fill = applyFill(holding, trade.side, trade.qty, trade.price);
      this.books.set(bookKey, { qty: fill.qty, avgPrice: fill.avgPrice });
      const tally = this.tallyOf(trade.agentId);
      tally.trades++;
      tally.realized = money(tally.realized + fill.realized);
      if (closing) {
        tally.closing++;
        if (fill.realized > 0) tally.winning++;
      }
      if (this.newer.size >= this.outcomesKept / 2) {
        this.older = this.newer;
        this.newer = new Map();
      }
      this.newer.set(trade.id, { tradeId: trade.id, realizedPnl: fill.realized, closing, position: { qty: fill.qty, avgPrice: fill.avgPrice } });
    }
  }

  decisions(decisions: Iterable<Decision>): void {
    for (const decision of decisions) {
      const tally = this.tallyOf(decision.agentId);
      tally.decisions++;
      if (decision.tradeId === null) continue;
      tally.traded++;
      const outcome = this.outcome(decision.tradeId);
      if (!outcome?.closing) continue;
      const won = outcome.realizedPnl > 0;
      tally.scored++;
      tally.brierSum += (decision.confidence - (won ? 1 : 0)) ** 2;
      if (won) {
        tally.wins++;
        tally.winConfidence += decision.confidence;
      } else {
        tally.losses++;
        tally.lossConfidence += decision.confidence;
      }
    }
  }

  /** Every agent's figures so far. */
  stats(): Map<string, AgentStats> {
    const stats = new Map<string, AgentStats>();
    for (const [agentId, t] of this.tallies) stats.set(agentId, toStats(agentId, t));
    return stats;
  }
}

/**
 * Per-agent performance from trades and decisions, both oldest first. A trade is an agent's when
 * it carries the agent's id (trades without one, an operator's, count for nobody). Each agent has
 * its own average-cost book per symbol, run by the desk's own fill arithmetic (`applyFill`): what
 * a trade realizes there is the agent's realized P&L, and a trade that reduced a holding is a
 * closing trade, won when it realized more than 0. A decision is scored when the trade it caused
 * (its `tradeId`) was a closing trade of the same agent.
 */
export function computeAgentStats(trades: readonly Trade[], decisions: readonly Decision[]): AgentStatsResult {
  const fold = new AgentStatsFold(Number.POSITIVE_INFINITY);
  fold.trades(trades);
  fold.decisions(decisions);
  return { stats: fold.stats(), outcomes: fold.outcomes() };
}

/** An agent's figures with nothing to count (an agent that has not traded or decided yet). */
export const noStats = (agentId: string): AgentStats => toStats(agentId, emptyTally());

function toStats(agentId: string, t: Tally): AgentStats {
  return {
    agentId,
    realizedPnl: t.realized,
    trades: t.trades,
    closingTrades: t.closing,
    winningTrades: t.winning,
    winRate: ratio(t.winning, t.closing),
    decisions: t.decisions,
    tradedDecisions: t.traded,
    decisionToTradeRate: ratio(t.traded, t.decisions),
    scoredDecisions: t.scored,
    brierScore: ratio(t.brierSum, t.scored),
    meanConfidenceWinning: ratio(t.winConfidence, t.wins),
    meanConfidenceLosing: ratio(t.lossConfidence, t.losses),
  };
}
