import { z } from 'zod';
import type { Agent, AgentStatus, Decision, Task, WorkflowRun } from './agents.js';
import { idSchema } from './common.js';
import { momentSchema } from './replay.js';
import type { Trade } from './market.js';

/**
 * One agent's performance over the trades and decisions the desk retains. Realized P&L is the
 * agent's own: each agent keeps an average-cost book per symbol of its own trades (as the desk's
 * positions do for all trades), so what one agent bought is never closed by another's sale.
 */
export interface AgentStats {
  agentId: string;
  /** Sum of what the agent's trades realized in its own books. */
  realizedPnl: number;
  trades: number;
  /** Trades that reduced (or closed) a holding of the agent's: the ones that realize P&L. */
  closingTrades: number;
  /** Closing trades that realized more than 0. */
  winningTrades: number;
  /** winningTrades / closingTrades; null without closing trades. */
  winRate: number | null;
  decisions: number;
  /** Decisions that caused a trade (`tradeId` set). */
  tradedDecisions: number;
  /** tradedDecisions / decisions; null without decisions. */
  decisionToTradeRate: number | null;
  /** Decisions whose trade was a closing trade: the ones with an outcome to score. */
  scoredDecisions: number;
  /**
   * Brier score of the scored decisions: the mean of (confidence - won)², won being 1 when the
   * trade realized more than 0. 0 is a perfect forecaster, 0.25 one that always says 0.5; null
   * when nothing was scored.
   */
  brierScore: number | null;
  /** Mean confidence of the scored decisions that won, and of those that lost (null: none). */
  meanConfidenceWinning: number | null;
  meanConfidenceLosing: number | null;
}

/** A trade as the agent's own book saw it: what it realized and the holding it left. */
export interface TradeOutcome {
  tradeId: string;
  /** P&L the trade realized in the agent's book (0 for a trade that only added). */
  realizedPnl: number;
  closing: boolean;
  /** The agent's holding of the symbol after the trade: signed quantity (long > 0) and average price. */
  position: { qty: number; avgPrice: number };
}

/** One status the agent held, from `since` (its newest first in `AgentView.statusHistory`). */
export interface StatusChange {
  status: AgentStatus;
  since: number;
  /** The event that set it (null: not known, a desk without a journal lists only the current status). */
  eventId: string | null;
}

/** Everything the agent view shows of one agent, but its memory (a stream: `agents.onMemory`). */
export interface AgentView {
  /** The moment it is as of (`at`): the newest event id it covers and its time; null: now. */
  asOf: { eventId: string; ts: number } | null;
  agent: Agent | null;
  /** Newest first, at most `AGENT_VIEW_STATUSES` (read from the journal; the current status only without one). */
  statusHistory: StatusChange[];
  /** The agent's tasks, current and past (the desk keeps the newest finished ones). */
  tasks: Task[];
  workflowRuns: WorkflowRun[];
  /** The agent's newest decisions, newest first, each with the trade it caused and what that made. */
  decisions: Array<{ decision: Decision; trade: Trade | null; outcome: TradeOutcome | null }>;
  stats: AgentStats;
}

/** Statuses the agent view lists at most. */
export const AGENT_VIEW_STATUSES = 50;
/** Decisions the agent view lists at most. */
export const AGENT_VIEW_DECISIONS = 50;

/**
 * `at`: the figures as of a moment of the past (an event id or a time, as `replay.asOf` takes),
 * rebuilt from the journal; omitted, as of now.
 */
export const agentStatsInput = z.object({ agentId: idSchema.optional(), at: momentSchema.optional() }).default({});
export const agentViewInput = z.object({ agentId: idSchema, at: momentSchema.optional() });
