import { TRPCError } from '@trpc/server';
import { AGENT_VIEW_DECISIONS, AGENT_VIEW_STATUSES, type AgentStats, type AgentView } from '../../shared/schema/agent-stats';
import type { Decision } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';
import type { LogTopic } from '../hub/log-topic';
import { computeAgentStats, noStats } from './agent-stats';
import type { Desk } from './desk';

/** Every event of a log topic the desk retains, oldest first: the journal's (when it has one) and memory's. */
function retained<T>(desk: Desk, topic: LogTopic<T>): T[] {
  const from = desk.journal ? Math.min(desk.journal.floor, topic.buffer.floor) : topic.buffer.floor;
  return topic.after(from, () => true) ?? topic.after(topic.buffer.floor, () => true) ?? [];
}

function knows(desk: Desk, agentId: string, trades: readonly Trade[], decisions: readonly Decision[]): boolean {
  return desk.topics.agents.get(agentId) !== undefined || trades.some((t) => t.agentId === agentId) || decisions.some((d) => d.agentId === agentId);
}

const unknownAgent = (agentId: string) => new TRPCError({ code: 'NOT_FOUND', message: `no agent ${agentId} on this desk (no row, trade or decision of it)` });

/**
 * Per-agent performance over every trade and decision the desk retains (`computeAgentStats`):
 * every agent's, agents of the agents panel first, or one agent's.
 */
export function agentStats(desk: Desk, agentId?: string): AgentStats[] {
  const trades = retained(desk, desk.topics.trades);
  const decisions = retained(desk, desk.topics.decisions);
  const { stats } = computeAgentStats(trades, decisions);
  if (agentId !== undefined) {
    if (!knows(desk, agentId, trades, decisions)) throw unknownAgent(agentId);
    return [stats.get(agentId) ?? noStats(agentId)];
  }
  const listed = desk.topics.agents.values().map((a) => stats.get(a.id) ?? noStats(a.id));
  const others = [...stats.values()].filter((s) => desk.topics.agents.get(s.agentId) === undefined);
  return [...listed, ...others.sort((a, b) => (a.agentId < b.agentId ? -1 : 1))];
}

/** What the agent view shows of one agent: status history, tasks, workflow runs, decisions with their trades, performance. */
export function agentView(desk: Desk, agentId: string): AgentView {
  const trades = retained(desk, desk.topics.trades);
  const decisions = retained(desk, desk.topics.decisions);
  if (!knows(desk, agentId, trades, decisions)) throw unknownAgent(agentId);
  const { stats, outcomes } = computeAgentStats(trades, decisions);
  const agent = desk.topics.agents.get(agentId) ?? null;
  const tradeById = new Map<string, Trade>();
  const mine = decisions.filter((d) => d.agentId === agentId).slice(-AGENT_VIEW_DECISIONS).reverse();
  const wanted = new Set(mine.map((d) => d.tradeId).filter((id): id is string => id !== null));
  for (const trade of trades) if (wanted.has(trade.id)) tradeById.set(trade.id, trade);
  const history = desk.statusHistory?.read(agentId, AGENT_VIEW_STATUSES);
  return {
    agent,
    statusHistory: history ?? (agent ? [{ status: agent.status, since: agent.updatedAt, eventId: null }] : []),
    tasks: desk.topics.tasks.values().filter((t) => t.agentId === agentId).reverse(),
    workflowRuns: desk.topics.workflows.values().filter((w) => w.agentId === agentId).reverse(),
    decisions: mine.map((decision) => ({
      decision,
      trade: decision.tradeId === null ? null : (tradeById.get(decision.tradeId) ?? null),
      outcome: decision.tradeId === null ? null : (outcomes.get(decision.tradeId) ?? null),
    })),
    stats: stats.get(agentId) ?? noStats(agentId),
  };
}
