import { TRPCError } from '@trpc/server';
import { AGENT_VIEW_DECISIONS, AGENT_VIEW_STATUSES, type AgentStats, type AgentView } from '../../shared/schema/agent-stats';
import { noStats, type AgentStatsFold } from './agent-stats';
import type { Desk } from './desk';

function knows(desk: Desk, agentId: string, fold: AgentStatsFold): boolean {
  return desk.topics.agents.get(agentId) !== undefined || fold.has(agentId);
}

const unknownAgent = (agentId: string) => new TRPCError({ code: 'NOT_FOUND', message: `no agent ${agentId} on this desk (no row, trade or decision of it)` });

/**
 * Per-agent performance over the trades and decisions the desk holds (see `AgentStatsCache`):
 * every agent's, agents of the agents panel first, or one agent's.
 */
export async function agentStats(desk: Desk, agentId?: string): Promise<AgentStats[]> {
  const fold = await desk.agentStats.current();
  const stats = fold.stats();
  if (agentId !== undefined) {
    if (!knows(desk, agentId, fold)) throw unknownAgent(agentId);
    return [stats.get(agentId) ?? noStats(agentId)];
  }
  const listed = desk.topics.agents.values().map((a) => stats.get(a.id) ?? noStats(a.id));
  const others = [...stats.values()].filter((s) => desk.topics.agents.get(s.agentId) === undefined);
  return [...listed, ...others.sort((a, b) => (a.agentId < b.agentId ? -1 : 1))];
}

/** What the agent view shows of one agent: status history, tasks, workflow runs, decisions with their trades, performance. */
export async function agentView(desk: Desk, agentId: string): Promise<AgentView> {
  const fold = await desk.agentStats.current();
  if (!knows(desk, agentId, fold)) throw unknownAgent(agentId);
  const stats = fold.stats();
  const agent = desk.topics.agents.get(agentId) ?? null;
  // The newest decisions in memory (the replay buffer's, 10,000 by default) and the trades they caused.
  const mine = desk.topics.decisions.buffer.last(AGENT_VIEW_DECISIONS, (d) => d.agentId === agentId).reverse();
  const wanted = new Set(mine.map((d) => d.tradeId).filter((id): id is string => id !== null));
  const tradeById = new Map(desk.topics.trades.buffer.last(Number.MAX_SAFE_INTEGER, (t) => wanted.has(t.id)).map((t) => [t.id, t]));
  const history = desk.statusHistory?.read(agentId, AGENT_VIEW_STATUSES);
  return {
    agent,
    statusHistory: history ?? (agent ? [{ status: agent.status, since: agent.updatedAt, eventId: null }] : []),
    tasks: desk.topics.tasks.values().filter((t) => t.agentId === agentId).reverse(),
    workflowRuns: desk.topics.workflows.values().filter((w) => w.agentId === agentId).reverse(),
    decisions: mine.map((decision) => ({
      decision,
      trade: decision.tradeId === null ? null : (tradeById.get(decision.tradeId) ?? null),
      outcome: decision.tradeId === null ? null : (fold.outcome(decision.tradeId) ?? null),
    })),
    stats: stats.get(agentId) ?? noStats(agentId),
  };
}
