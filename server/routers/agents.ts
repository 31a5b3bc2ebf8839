import { z } from 'zod';
import { recordDecisionInput, setAgentStatusInput, upsertTaskInput, workflowStepInput } from '../../shared/schema/agents';
import { agentsInput, decisionsInput, tasksInput, workflowsInput } from '../../shared/schema/stream';
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

  agents: viewerProcedure.query(({ ctx }) => ctx.desk.topics.agents.values()),
  tasks: viewerProcedure.query(({ ctx }) => ctx.desk.topics.tasks.values()),
  workflows: viewerProcedure.query(({ ctx }) => ctx.desk.topics.workflows.values()),
  decisions: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(1000).default(50) }).default({ limit: 50 }))
    .query(({ ctx, input }) => ctx.desk.topics.decisions.buffer.last(input.limit, () => true)),

  setStatus: mutationProcedure.input(setAgentStatusInput).mutation(command('agents.setStatus')),
  upsertTask: mutationProcedure.input(upsertTaskInput).mutation(command('agents.upsertTask')),
  workflowStep: mutationProcedure.input(workflowStepInput).mutation(command('agents.workflowStep')),
  recordDecision: mutationProcedure.input(recordDecisionInput).mutation(command('agents.recordDecision', withTradeLimits)),
});
