import { z } from 'zod';
import { idSchema, symbolSchema, timestampSchema } from './common.js';
import { jsonBoundsError } from './json-bounds.js';
import { jsonValueSchema, type JsonValue } from './feeds.js';

export const agentStatusSchema = z.enum(['idle', 'active', 'busy', 'error', 'offline']);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

/** How deep an agent's metadata may nest. */
export const AGENT_METADATA_MAX_DEPTH = 8;
/** About how many characters an agent's metadata may take as JSON. */
export const AGENT_METADATA_MAX_SIZE = 8 * 1024;

/** An agent's free-form metadata: a JSON object (model, version, owner…), bounded in depth and size. */
export const agentMetadataSchema = z
  .record(z.string().max(200), z.unknown())
  .superRefine((value, ctx) => {
    const error = jsonBoundsError(value, AGENT_METADATA_MAX_DEPTH, AGENT_METADATA_MAX_SIZE);
    if (error !== null) ctx.addIssue({ code: 'custom', message: `metadata: ${error}`, abort: true });
  })
  .pipe(z.record(z.string().max(200), jsonValueSchema)) as unknown as z.ZodType<Record<string, JsonValue>, Record<string, JsonValue>>;
export type AgentMetadata = Record<string, JsonValue>;

// Fields added after the first journals were written carry a default, so rows written before them
// still parse (and are brought to this shape when a journal is restored: `upgradeAgent`).
export const agentSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: agentStatusSchema,
  currentTaskId: z.string().nullable(),
  cpu: z.number(),
  memory: z.number(),
  connections: z.number(),
  metadata: agentMetadataSchema.default({}),
  updatedAt: timestampSchema,
});
export type Agent = z.output<typeof agentSchema>;

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

export const workflowStatusSchema = z.enum(['pending', 'running', 'completed', 'failed', 'cancelled']);
export type WorkflowStatus = z.infer<typeof workflowStatusSchema>;

export const workflowRunSchema = z.object({
  executionId: z.string(),
  workflowId: z.string(),
  /** The agent that runs it, if any. */
  agentId: z.string().nullable().default(null),
  stage: z.string(),
  status: workflowStatusSchema,
  progress: z.number(),
  result: z.string().nullable().default(null),
  error: z.string().nullable().default(null),
  startedAt: timestampSchema,
  updatedAt: timestampSchema,
});
export type WorkflowRun = z.output<typeof workflowRunSchema>;

/** An agent row as an earlier version wrote it, in today's shape (rows restored from a journal or a snapshot). */
export function upgradeAgent(row: Agent): Agent {
  return row.metadata === undefined ? { ...row, metadata: {} } : row;
}

/** A workflow run as an earlier version wrote it (without agent, result or error), in today's shape. */
export function upgradeWorkflowRun(row: WorkflowRun): WorkflowRun {
  if (row.agentId !== undefined && row.result !== undefined && row.error !== undefined) return row;
  return { ...row, agentId: row.agentId ?? null, result: row.result ?? null, error: row.error ?? null };
}

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
  /** Replaces the agent's metadata (omit to keep it). */
  metadata: agentMetadataSchema.optional(),
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
  /** The agent that runs it (omit to keep the run's; null: none). */
  agentId: idSchema.nullable().optional(),
  result: z.string().max(4000).nullable().optional(),
  error: z.string().max(4000).nullable().optional(),
});
export type WorkflowStepInput = z.infer<typeof workflowStepInput>;
