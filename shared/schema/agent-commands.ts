import { z } from 'zod';
import { idSchema, timestampSchema } from './common.js';

/** What an operator can tell an agent to do. `cancelTask` names the task in `taskId`. */
export const agentCommandKindSchema = z.enum(['pause', 'resume', 'flatten', 'cancelTask']);
export type AgentCommandKind = z.infer<typeof agentCommandKindSchema>;

/**
 * Where a command stands: `sent` until the agent answers, then `acknowledged` (it accepted) or
 * `rejected` (it refused, with a message); `timedOut` when no answer came in time.
 */
export const agentCommandStateSchema = z.enum(['sent', 'acknowledged', 'rejected', 'timedOut']);
export type AgentCommandState = z.infer<typeof agentCommandStateSchema>;

/** An operator's command to one agent, as the desk records it. */
export const agentCommandSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  kind: agentCommandKindSchema,
  /** The task to cancel (`cancelTask`); null otherwise. */
  taskId: z.string().nullable(),
  state: agentCommandStateSchema,
  /** The agent's message with its answer (or why it timed out); null while sent. */
  message: z.string().nullable(),
  /** Name of the operator whose token sent it. */
  sentBy: z.string(),
  sentAt: timestampSchema,
  /** When it was answered or timed out; null while sent. */
  settledAt: timestampSchema.nullable(),
});
export type AgentCommand = z.infer<typeof agentCommandSchema>;

export const sendAgentCommandInput = z
  .object({
    agentId: idSchema,
    kind: agentCommandKindSchema,
    /** Required for `cancelTask`, refused otherwise. */
    taskId: idSchema.optional(),
  })
  .refine((input) => (input.kind === 'cancelTask') === (input.taskId !== undefined), {
    message: 'taskId is required for cancelTask and only for it',
    path: ['taskId'],
  });
export type SendAgentCommandInput = z.infer<typeof sendAgentCommandInput>;

export const acknowledgeAgentCommandInput = z.object({
  /** The command's id. */
  id: idSchema,
  /** The agent answering: the command's own agent. */
  agentId: idSchema,
  /** True: the agent did (or is doing) it; false: it refused. */
  accepted: z.boolean(),
  message: z.string().trim().max(500).optional(),
});
export type AcknowledgeAgentCommandInput = z.infer<typeof acknowledgeAgentCommandInput>;
