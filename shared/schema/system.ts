import { z } from 'zod';
import { symbolSchema, timestampSchema } from './common.js';

export const simulatorStateSchema = z.object({
  running: z.boolean(),
  ticksPerSecond: z.number(),
  symbols: z.array(z.string()),
  seed: z.number(),
});
export type SimulatorState = z.infer<typeof simulatorStateSchema>;

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  simulator: simulatorStateSchema,
  connections: z.number(),
  startedAt: timestampSchema,
  /** The newest commit this instance had applied when the reading was taken: a resume point for every stream. */
  lastEventId: z.string(),
  /**
   * Cluster mode: this instance, whether the shared log answers, whether it is ready for traffic,
   * how many commands it is behind, how many mutations it answered "unknown" still wait for a fate,
   * and whether its simulator is the cluster's one that ticks.
   */
  cluster: z
    .object({ instance: z.string(), up: z.boolean(), ready: z.boolean(), lagCommands: z.number(), inDoubt: z.number(), simulating: z.boolean() })
    .nullable(),
});
export type Health = z.infer<typeof healthSchema>;

/** One instance of a cluster as it last reported itself (through Redis). */
export const clusterInstanceSchema = z.object({
  instance: z.string(),
  connections: z.number(),
  /** Subscriptions on its connections, all topics together. */
  subscriptions: z.number(),
  lastEventId: z.string(),
  /** Commands in the log it has not folded yet. */
  lagCommands: z.number(),
  up: z.boolean(),
  ready: z.boolean(),
  /** Its simulator is the one that ticks. */
  simulating: z.boolean(),
  /** How long ago it last reported (Redis's clock), ms. */
  ageMs: z.number(),
});
export type ClusterInstance = z.infer<typeof clusterInstanceSchema>;

export const statsSchema = z.object({
  connections: z.number(),
  subscriptions: z.record(z.string(), z.number()),
  messagesSent: z.number(),
  conflated: z.number(),
  resynced: z.number(),
  events: z.number(),
  /** Times a state subscription with something to send waited for its connection's bandwidth budget (`DESK_CONNECTION_BYTES_PER_SEC`). */
  budgetHolds: z.number(),
  /** How often each limit turned something away. */
  rejected: z.record(z.string(), z.number()),
  /** As in health: the newest commit applied when the reading was taken. */
  lastEventId: z.string(),
  uptimeSec: z.number(),
  memory: z.object({ rss: z.number(), heapUsed: z.number() }),
  ts: timestampSchema,
  /** Cluster mode: every instance as it last reported itself, this one included; null alone. */
  cluster: z.array(clusterInstanceSchema).nullable(),
});
export type Stats = z.infer<typeof statsSchema>;

export const simulatorControlInput = z.object({
  running: z.boolean().optional(),
  ticksPerSecond: z.number().min(0.1).max(10_000).optional(),
  symbols: z.array(symbolSchema).min(1).max(200).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
});
export type SimulatorControlInput = z.infer<typeof simulatorControlInput>;

/** A revoked token id or holder name: every token with that id or name is refused. */
export const revocationSchema = z.object({
  id: z.string(),
  reason: z.string().nullable(),
  /** The caller id of the admin who revoked it. */
  by: z.string(),
  revokedAt: timestampSchema,
});
export type Revocation = z.infer<typeof revocationSchema>;

export const revokeTokenInput = z.object({
  /** A token id (`caller.id`, printed by `npm run token`) or a holder's name (`caller.name`). */
  id: z.string().trim().min(1).max(128),
  reason: z.string().max(200).optional(),
});
export type RevokeTokenInput = z.infer<typeof revokeTokenInput>;

/** One audited mutation (or `count` identical refusals in a row). */
export const auditEntrySchema = z.object({
  seq: z.number(),
  ts: timestampSchema,
  /** The caller's token id; `-` when no valid token was presented. */
  who: z.string(),
  name: z.string().nullable(),
  role: z.enum(['viewer', 'operator', 'admin']).nullable(),
  address: z.string(),
  path: z.string(),
  /** The input as JSON, cut at 2,000 characters; null for calls refused by a rate limit. */
  input: z.string().nullable(),
  /** `OK` or the error code. */
  code: z.string(),
  eventId: z.string().nullable(),
  /** Identical refusals from one caller and address within one turn of the event loop are one entry. */
  count: z.number(),
  /** The cluster instance that took the call; null on a single desk. */
  instance: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditInput = z
  .object({
    /** Entries older than this `seq` (the previous page's `next`). */
    before: z.number().int().positive().optional(),
    limit: z.number().int().min(1).max(500).default(100),
    /** Only this procedure, e.g. `market.executeTrade`. */
    path: z.string().max(100).optional(),
    /** Only this token id or holder name. */
    who: z.string().max(128).optional(),
  })
  .default({ limit: 100 });
export type AuditInput = z.infer<typeof auditInput>;
