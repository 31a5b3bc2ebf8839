import { z } from 'zod';
import { idSchema } from '../../shared/schema/common';
import { acknowledgeAgentCommandInput, sendAgentCommandInput } from '../../shared/schema/agent-commands';
import { recordDecisionInput, setAgentStatusInput, upsertTaskInput, workflowStepInput } from '../../shared/schema/agents';
import { agentCommandsInput, agentsInput, decisionsInput, tasksInput, workflowsInput } from '../../shared/schema/stream';
import { allOf, equalTo, inSet } from '../hub/filter';
import { mutationProcedure, viewerProcedure, router } from '../trpc';
import { byAgentAndSymbols } from './filters';
import { command, withTradeLimits } from './command';
import { streamProcedure } from './stream-procedure';

export const agentsRouter = router({
  onAgents: streamProcedure(agentsInput, (t) => t.agents, (i) => allOf([inSet('ids', i.ids, (a) => a.id)])),
  onTasks: streamProcedure(tasksInput, (t) => t.tasks, (i) => allOf([equalTo('agentId', i.agentId, (task) => task.agentId)])),
  onWorkflows: streamProcedure(workflowsInput, (t) => t.workflows, (i) => allOf([equalTo('workflowId', i.workflowId, (w) => w.workflowId)])),
  onDecisions: streamProcedure(decisionsInput, (t) => t.decisions, byAgentAndSymbols),
  /** Operators' commands and their state; an agent subscribes with its own `agentId` and answers each. */
  onCommands: streamProcedure(agentCommandsInput, (t) => t.agentCommands, (i) => allOf([equalTo('agentId', i.agentId, (c) => c.agentId)])),

  agents: viewerProcedure.query(({ ctx }) => ctx.desk.topics.agents.values()),
  tasks: viewerProcedure.query(({ ctx }) => ctx.desk.topics.tasks.values()),
  workflows: viewerProcedure.query(({ ctx }) => ctx.desk.topics.workflows.values()),
  commands: viewerProcedure
    .input(z.object({ agentId: idSchema.optional() }).default({}))
    .query(({ ctx, input }) => ctx.desk.topics.agentCommands.values().filter((c) => input.agentId === undefined || c.agentId === input.agentId)),
  decisions: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => ctx.desk.topics.decisions.buffer.last(input.limit, () => true)),

  setStatus: mutationProcedure.input(setAgentStatusInput).mutation(command('agents.setStatus')),
  upsertTask: mutationProcedure.input(upsertTaskInput).mutation(command('agents.upsertTask')),
  workflowStep: mutationProcedure.input(workflowStepInput).mutation(command('agents.workflowStep')),
  recordDecision: mutationProcedure.input(recordDecisionInput).mutation(command('agents.recordDecision', withTradeLimits)),
  /** Pause, resume, flatten or cancel a task: recorded as `sent` until the agent answers (or it times out). */
  sendCommand: mutationProcedure.input(sendAgentCommandInput).mutation(command('agents.sendCommand', (ctx) => ({ sentBy: ctx.caller?.name ?? 'unknown' }))),
  /** The agent's answer to one of its commands. */
  acknowledgeCommand: mutationProcedure.input(acknowledgeAgentCommandInput).mutation(command('agents.acknowledgeCommand')),
});
