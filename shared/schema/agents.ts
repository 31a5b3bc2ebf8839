import { z } from 'zod';
import { idSchema, symbolSchema, timestampSchema } from './common.js';

export const agentStatusSchema = z.enum(['idle', 'active', 'busy', 'error', 'offline']);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

export const agentSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: agentStatusSchema,
  currentTaskId: z.string().nullable(),
  cpu: z.number(),
  memory: z.number(),
  connections: z.number(),
  updatedAt: timestampSchema,
});
export type Agent = z.infer<typeof agentSchema>;

export const decisionActionSchema = z.enum(['buy', 'sell', 'hold']);

export const decisionSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  symbol: z.string(),
  action: decisionActionSchema,
  confidence: z.number(),
  reasoning: z.string(),
  tradeId: z.string().nullable(),
  ts: timestampSchema,
});
export type Decision = z.infer<typeof decisionSchema>;

export const taskStatusSchema = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']);
export type TaskStatus = z.infer<typeof taskStatusSchema>;
export const taskPrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);

export const taskSchema = z.object({
  id: z.string(),
  agentId: z.string().nullable(),
  type: z.string(),
  priority: taskPrioritySchema,
  status: taskStatusSchema,
  progress: z.number(),
  result: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type Task = z.infer<typeof taskSchema>;

export const workflowStatusSchema = z.enum(['running', 'completed', 'failed', 'cancelled']);

export const workflowRunSchema = z.object({
  executionId: z.string(),
  workflowId: z.string(),
  stage: z.string(),
  status: workflowStatusSchema,
  progress: z.number(),
  startedAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type WorkflowRun = z.infer<typeof workflowRunSchema>;

// ── inputs ──────────────────────────────────────────────────────────────

const shortText = (max: number) => z.string().trim().min(1).max(max);

export const recordDecisionInput = z.object({
  agentId: idSchema,
  symbol: symbolSchema,
  action: decisionActionSchema,
  confidence: z.number().min(0).max(1),
  reasoning: z.string().max(4000).default(''),
  /** Execute a trade of this quantity when the action is buy or sell. */
  executeQty: z.number().positive().max(1e9).optional(),
});
export type RecordDecisionInput = z.infer<typeof recordDecisionInput>;

export const setAgentStatusInput = z.object({
  id: idSchema,
  name: shortText(80).optional(),
  status: agentStatusSchema,
  currentTaskId: idSchema.nullable().optional(),
  cpu: z.number().min(0).max(100).optional(),
  memory: z.number().min(0).max(1e7).optional(),
  connections: z.number().int().min(0).max(1e6).optional(),
});
export type SetAgentStatusInput = z.infer<typeof setAgentStatusInput>;

export const upsertTaskInput = z.object({
  /** Omit to create a new task. */
  id: idSchema.optional(),
  agentId: idSchema.nullable().optional(),
  type: shortText(64).optional(),
  priority: taskPrioritySchema.optional(),
  status: taskStatusSchema.optional(),
  progress: z.number().min(0).max(1).optional(),
  result: z.string().max(4000).nullable().optional(),
  error: z.string().max(4000).nullable().optional(),
});
export type UpsertTaskInput = z.infer<typeof upsertTaskInput>;

export const workflowStepInput = z.object({
  workflowId: idSchema,
  /** Omit to start a new run. */
  executionId: idSchema.optional(),
  stage: shortText(64),
  status: workflowStatusSchema.default('running'),
  progress: z.number().min(0).max(1),
});
export type WorkflowStepInput = z.infer<typeof workflowStepInput>;
