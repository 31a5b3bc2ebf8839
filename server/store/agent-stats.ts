import { AGENT_VIEW_DECISIONS, type AgentStats, type TradeOutcome } from '../../shared/schema/agent-stats';
import type { Decision } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';
import { applyFill, money, type Holding } from './trade-math';

/** What `computeAgentStats` finds: every agent's figures, and each agent trade's outcome by trade id. */
export interface AgentStatsResult {
  stats: Map<string, AgentStats>;
  outcomes: Map<string, TradeOutcome>;
}

export interface Tally {
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

/**
 * Outcomes of decision-caused trades a fold keeps per agent (the newest): the agent view lists an
 * agent's newest `AGENT_VIEW_DECISIONS` decisions, whose trades are among its newest that many
 * decision-caused trades, so each listed decision finds its outcome.
 */
export const OUTCOMES_PER_AGENT = AGENT_VIEW_DECISIONS;

/** A fold's state as a snapshot keeps it (JSON): everything the figures and outcomes need. */
export interface FoldSnapshot {
  tallies: Array<[string, Tally]>;
  books: Array<[string, Holding]>;
  recent: Array<[string, TradeOutcome[]]>;
}

/**
 * The running state of per-agent performance: fold trades and decisions into it in the order they
 * were committed (a commit's trades before its decisions), as often as new ones come; `stats()`
 * reads the figures. Folding everything at once or in any number of steps of whole commits gives
 * the same figures, and a fold rebuilt from its `snapshot()` goes on as the original would.
 */
export class AgentStatsFold {
  private readonly tallies = new Map<string, Tally>();
  private readonly books = new Map<string, Holding>();
  /** Per agent, the outcomes of its newest decision-caused trades, oldest first. */
  private readonly recent = new Map<string, TradeOutcome[]>();
  /**
   * Outcomes of the trades of the last `trades()` call, for the decisions folded after them: a
   * decision and the trade it caused are one commit, and a step holds whole commits.
   */
  private step = new Map<string, TradeOutcome>();

  /** A fold that goes on from a snapshot (`snapshot()`). */
  static from(snapshot: FoldSnapshot): AgentStatsFold {
    const fold = new AgentStatsFold();
    for (const [agentId, tally] of snapshot.tallies) fold.tallies.set(agentId, { ...tally });
    for (const [key, holding] of snapshot.books) fold.books.set(key, { ...holding });
    for (const [agentId, outcomes] of snapshot.recent) fold.recent.set(agentId, [...outcomes]);
    return fold;
  }

  /** The state to go on from (JSON-safe), between steps. */
  snapshot(): FoldSnapshot {
    return { tallies: [...this.tallies], books: [...this.books], recent: [...this.recent] };
  }

  /** The outcome of one of the agent's trades: of its newest decision-caused ones, or of the last step. */
  outcome(agentId: string, tradeId: string): TradeOutcome | undefined {
    return this.step.get(tradeId) ?? this.recent.get(agentId)?.findLast((o) => o.tradeId === tradeId);
  }

  /** The outcomes of the last step's trades, oldest first. */
  outcomes(): Map<string, TradeOutcome> {
    return new Map(this.step);
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
    this.step = new Map();
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
      const outcome: TradeOutcome = { tradeId: trade.id, realizedPnl: fill.realized, closing, position: { qty: fill.qty, avgPrice: fill.avgPrice } };
      this.step.set(trade.id, outcome);
      if (trade.decisionId === null) continue;
      let recent = this.recent.get(trade.agentId);
      if (!recent) this.recent.set(trade.agentId, (recent = []));
      recent.push(outcome);
      if (recent.length > OUTCOMES_PER_AGENT) recent.shift();
    }
  }

  decisions(decisions: Iterable<Decision>): void {
    for (const decision of decisions) {
      const tally = this.tallyOf(decision.agentId);
      tally.decisions++;
      if (decision.tradeId === null) continue;
      tally.traded++;
      const outcome = this.outcome(decision.agentId, decision.tradeId);
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
  const fold = new AgentStatsFold();
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
