import { TRPCError } from '@trpc/server';
import { AGENT_VIEW_DECISIONS, AGENT_VIEW_STATUSES, type AgentStats, type AgentView } from '../../shared/schema/agent-stats';
import type { Agent, Decision, Task, WorkflowRun } from '../../shared/schema/agents';
import type { Trade } from '../../shared/schema/market';
import type { Moment } from '../../shared/schema/replay';
import { noStats, type AgentStatsFold } from './agent-stats';
import type { Desk } from './desk';

/** What the figures are read from: the desk now, or as rebuilt for a past moment. */
interface Source {
  asOf: AgentView['asOf'];
  fold: AgentStatsFold;
  agents: Agent[];
  agent(agentId: string): Agent | undefined;
  tasks(): Task[];
  workflows(): WorkflowRun[];
  /** The agent's newest decisions, oldest first, at most `limit`. */
  decisions(agentId: string, limit: number): Decision[];
  /** Those of the trades with these ids that the source holds. */
  trades(ids: Set<string>): Trade[];
  /** The journal's event id the status history reads up to (undefined: all of it). */
  statusesUpTo: number | undefined;
}

const unknownAgent = (agentId: string, asOf: AgentView['asOf']) =>
  new TRPCError({
    code: 'NOT_FOUND',
    message: asOf
      ? `no agent ${agentId} on this desk as of event ${asOf.eventId} (${new Date(asOf.ts).toISOString()}): no row, trade or decision of it yet`
      : `no agent ${agentId} on this desk (no row, trade or decision of it)`,
  });

async function now(desk: Desk): Promise<Source> {
  const { agents, tasks, workflows, decisions, trades } = desk.topics;
  return {
    asOf: null,
    fold: await desk.agentStats.current(),
    agents: agents.values(),
    agent: (agentId) => agents.get(agentId),
    tasks: () => tasks.values(),
    workflows: () => workflows.values(),
    // The newest decisions in memory (the replay buffer's, 10,000 by default) and the trades they caused.
    decisions: (agentId, limit) => decisions.buffer.last(limit, (d) => d.agentId === agentId),
    trades: (ids) => trades.buffer.last(Number.MAX_SAFE_INTEGER, (t) => ids.has(t.id)),
    statusesUpTo: undefined,
  };
}

/**
 * The desk as of `at`, rebuilt from the journal: the keyed rows from the replay's checkpoint
 * machinery, the logs read back from the moment, the figures from the stats' snapshots. Refuses
 * a moment after now (BAD_REQUEST) or before the oldest one the desk can rebuild (NOT_FOUND), as
 * `replay.asOf` does.
 */
async function asOf(desk: Desk, at: Moment): Promise<Source> {
  const rebuilder = desk.replay?.rebuilder;
  if (!rebuilder) throw new TRPCError({ code: 'NOT_FOUND', message: 'this desk keeps no journal, so it has no past to read agents as of' });
  const moment = rebuilder.resolve(at);
  const fold = await desk.agentStats.at(moment.id);
  const state = rebuilder.stateAt(moment.id);
  const agents = state.rows('agents') as Agent[];
  return {
    asOf: { eventId: String(moment.id), ts: moment.ts },
    fold: fold!,
    agents,
    agent: (agentId) => agents.find((a) => a.id === agentId),
    tasks: () => state.rows('tasks') as Task[],
    workflows: () => state.rows('workflows') as WorkflowRun[],
    decisions: (agentId, limit) => rebuilder.logAt('decisions', moment.id, limit, (d) => (d as Decision).agentId === agentId) as Decision[],
    trades: (ids) => (ids.size === 0 ? [] : (rebuilder.logAt('trades', moment.id, ids.size, (t) => ids.has((t as Trade).id)) as Trade[])),
    statusesUpTo: moment.id,
  };
}

const sourceOf = (desk: Desk, at: Moment | undefined) => (at === undefined ? now(desk) : asOf(desk, at));

const knows = (source: Source, agentId: string) => source.agent(agentId) !== undefined || source.fold.has(agentId);

/**
 * Per-agent performance over every trade and decision the desk recorded (see `AgentStatsCache`),
 * as of now or of a past moment `at`: every agent's, agents of the agents panel first, or one agent's.
 */
export async function agentStats(desk: Desk, agentId?: string, at?: Moment): Promise<AgentStats[]> {
  const source = await sourceOf(desk, at);
  const stats = source.fold.stats();
  if (agentId !== undefined) {
    if (!knows(source, agentId)) throw unknownAgent(agentId, source.asOf);
    return [stats.get(agentId) ?? noStats(agentId)];
  }
  const listedIds = new Set(source.agents.map((a) => a.id));
  const listed = source.agents.map((a) => stats.get(a.id) ?? noStats(a.id));
  const others = [...stats.values()].filter((s) => !listedIds.has(s.agentId));
  return [...listed, ...others.sort((a, b) => (a.agentId < b.agentId ? -1 : 1))];
}

/**
 * What the agent view shows of one agent, as of now or of a past moment `at`: status history,
 * tasks, workflow runs, decisions with their trades, performance.
 */
export async function agentView(desk: Desk, agentId: string, at?: Moment): Promise<AgentView> {
  const source = await sourceOf(desk, at);
  if (!knows(source, agentId)) throw unknownAgent(agentId, source.asOf);
  const { fold } = source;
  const agent = source.agent(agentId) ?? null;
  const mine = source.decisions(agentId, AGENT_VIEW_DECISIONS).reverse();
  const wanted = new Set(mine.map((d) => d.tradeId).filter((id): id is string => id !== null));
  const tradeById = new Map(source.trades(wanted).map((t) => [t.id, t]));
  const history = desk.statusHistory?.read(agentId, AGENT_VIEW_STATUSES, source.statusesUpTo);
  return {
    asOf: source.asOf,
    agent,
    statusHistory: history ?? (agent ? [{ status: agent.status, since: agent.updatedAt, eventId: null }] : []),
    tasks: source.tasks().filter((t) => t.agentId === agentId).reverse(),
    workflowRuns: source.workflows().filter((w) => w.agentId === agentId).reverse(),
    decisions: mine.map((decision) => ({
      decision,
      trade: decision.tradeId === null ? null : (tradeById.get(decision.tradeId) ?? null),
      outcome: decision.tradeId === null ? null : (fold.outcome(agentId, decision.tradeId) ?? null),
    })),
    stats: fold.stats().get(agentId) ?? noStats(agentId),
  };
}
