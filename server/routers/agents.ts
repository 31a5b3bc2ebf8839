import { z } from 'zod';
import { idSchema } from '../../shared/schema/common';
import { acknowledgeAgentCommandInput, sendAgentCommandInput } from '../../shared/schema/agent-commands';
import { agentStatsInput, agentViewInput } from '../../shared/schema/agent-stats';
import { recordDecisionInput, setAgentStatusInput, upsertTaskInput, workflowStepInput } from '../../shared/schema/agents';
import { recordMemoryInput } from '../../shared/schema/memory';
import { agentCommandsInput, agentsInput, decisionsInput, memoryInput, tasksInput, workflowsInput } from '../../shared/schema/stream';
import { agentStats, agentView } from '../store/agent-view';
import { allOf, equalTo, inSet } from '../hub/filter';
import { mutationProcedure, viewerProcedure, router } from '../trpc';
import { byAgentAndSymbols, byMemory } from './filters';
import { command, withTradeLimits } from './command';
import { streamProcedure } from './stream-procedure';

export const agentsRouter = router({
  onAgents: streamProcedure(agentsInput, (t) => t.agents, (i) => allOf([inSet('ids', i.ids, (a) => a.id)])),
  onTasks: streamProcedure(tasksInput, (t) => t.tasks, (i) => allOf([equalTo('agentId', i.agentId, (task) => task.agentId)])),
  onWorkflows: streamProcedure(workflowsInput, (t) => t.workflows, (i) => allOf([equalTo('workflowId', i.workflowId, (w) => w.workflowId)])),
  onDecisions: streamProcedure(decisionsInput, (t) => t.decisions, byAgentAndSymbols),
  /** Operators' commands and their state; an agent subscribes with its own `agentId` and answers each. */
  onCommands: streamProcedure(agentCommandsInput, (t) => t.agentCommands, (i) => allOf([equalTo('agentId', i.agentId, (c) => c.agentId)])),
  /** Agents' memory events, filtered by agent, tags (any of) and minimum importance. */
  onMemory: streamProcedure(memoryInput, (t) => t.memories, byMemory),

  agents: viewerProcedure.query(({ ctx }) => ctx.desk.topics.agents.values()),
  tasks: viewerProcedure.query(({ ctx }) => ctx.desk.topics.tasks.values()),
  workflows: viewerProcedure.query(({ ctx }) => ctx.desk.topics.workflows.values()),
  commands: viewerProcedure
    .input(z.object({ agentId: idSchema.optional() }).default({}))
    .query(({ ctx, input }) => ctx.desk.topics.agentCommands.values().filter((c) => input.agentId === undefined || c.agentId === input.agentId)),
  decisions: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => ctx.desk.topics.decisions.buffer.last(input.limit, () => true)),
  /** Per-agent performance over every trade and decision the desk recorded (see AgentStats), now or as of `at`. */
  stats: viewerProcedure.input(agentStatsInput).query(({ ctx, input }) => agentStats(ctx.desk, input.agentId, input.at)),
  /** One agent's status history, tasks, workflow runs, decisions with their trades, and performance, now or as of `at`. */
  view: viewerProcedure.input(agentViewInput).query(({ ctx, input }) => agentView(ctx.desk, input.agentId, input.at)),

  setStatus: mutationProcedure.input(setAgentStatusInput).mutation(command('agents.setStatus')),
  upsertTask: mutationProcedure.input(upsertTaskInput).mutation(command('agents.upsertTask')),
  workflowStep: mutationProcedure.input(workflowStepInput).mutation(command('agents.workflowStep')),
  recordDecision: mutationProcedure.input(recordDecisionInput).mutation(command('agents.recordDecision', withTradeLimits)),
  /** One event of an agent's memory (created, updated, accessed, deleted). */
  recordMemory: mutationProcedure.input(recordMemoryInput).mutation(command('agents.recordMemory')),
  /** Pause, resume, flatten or cancel a task: recorded as `sent` until the agent answers (or it times out). */
  sendCommand: mutationProcedure.input(sendAgentCommandInput).mutation(command('agents.sendCommand', (ctx) => ({ sentBy: ctx.caller?.name ?? 'unknown' }))),
  /** The agent's answer to one of its commands. */
  acknowledgeCommand: mutationProcedure.input(acknowledgeAgentCommandInput).mutation(command('agents.acknowledgeCommand')),
});
