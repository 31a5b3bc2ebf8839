import { z } from 'zod';
import { timestampSchema } from './common.js';

/**
 * What a client says it is, in its connection params (`kind`): the dashboard, an agent (the agent
 * SDK), or any other program (`script`, the default).
 */
export const clientKindSchema = z.enum(['dashboard', 'agent', 'script']);
export type ClientKind = z.infer<typeof clientKindSchema>;

/** One open WebSocket connection to the desk. */
export const presenceConnectionSchema = z.object({
  /** Unique across the cluster: the instance's id and the connection's. */
  id: z.string(),
  /** Cluster mode: the instance holding it; null for a single desk. */
  instance: z.string().nullable(),
  kind: clientKindSchema,
  /** The role of its token; null without a valid token. */
  role: z.enum(['viewer', 'operator', 'admin']).nullable(),
  /** The token's holder name; null without a valid token. */
  name: z.string().nullable(),
  /** The agent this connection speaks for (an operator's `agentId` connection param); null otherwise. */
  agentId: z.string().nullable(),
  /** The client's address. */
  address: z.string(),
  /** When it connected. */
  since: timestampSchema,
});
export type PresenceConnection = z.infer<typeof presenceConnectionSchema>;

/** Who is connected, over every instance of a cluster. */
export const presenceSchema = z.object({
  /** Connections by kind, counted exactly. */
  counts: z.object({ dashboard: z.number(), agent: z.number(), script: z.number() }),
  /** All of them together. */
  total: z.number(),
  /** The connections, oldest first; at most `PRESENCE_LIST_LIMIT` per instance (the counts are exact). */
  connections: z.array(presenceConnectionSchema),
  /** Instances whose connections are included (1 for a single desk). */
  instances: z.number(),
});
export type Presence = z.infer<typeof presenceSchema>;

/** Connections listed per instance in a presence reading. */
export const PRESENCE_LIST_LIMIT = 500;
