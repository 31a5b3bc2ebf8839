import { z } from 'zod';
import type { AgentCommand } from './agent-commands.js';
import type { Agent, Decision, Task, WorkflowRun } from './agents.js';
import { eventIdSchema, timestampSchema } from './common.js';
import type { Alert, AlertRule, DeskCustomEvent, DeskNotification, MetricSample, Signal, SystemAlert } from './feeds.js';
import type { Portfolio, Position, PriceTick, Trade } from './market.js';
import type { MemoryEvent } from './memory.js';

/** Replay speeds: recorded time runs this many times faster than real time; 0 holds still at `from`. */
export const replaySpeeds = [0, 1, 10, 100] as const;
export const replaySpeedSchema = z.union([z.literal(0), z.literal(1), z.literal(10), z.literal(100)]);
export type ReplaySpeed = z.infer<typeof replaySpeedSchema>;

/**
 * A moment of the desk's past: an event id (a decimal string, as every stream's ids) or a time in
 * ms since the epoch (the last event at or before it).
 */
export const momentSchema = z.union([eventIdSchema, timestampSchema]);
export type Moment = z.infer<typeof momentSchema>;

/**
 * The `replay` option of every stream: the snapshot as of `from`, then the recorded events after
 * it paced by their recorded time at `speed`, then live once the replay has caught up with now.
 * At speed 0 (paused) the stream holds the snapshot as of `from` and sends nothing more.
 */
export const replayOptionSchema = z.object({
  from: momentSchema,
  speed: replaySpeedSchema.default(1),
});
export type ReplayOption = z.input<typeof replayOptionSchema>;

/** `replay.asOf`: the whole desk as of a moment. `limit`: events per log topic. */
export const asOfInput = z.object({
  at: momentSchema,
  limit: z.number().int().min(0).max(1000).default(50),
});
export type AsOfInput = z.input<typeof asOfInput>;

/** The moments the desk can rebuild: from the oldest (`from`) to now (`to`), ids and times. */
export interface ReplayWindow {
  from: { eventId: string; ts: number } | null;
  to: { eventId: string; ts: number };
}

/** The whole desk as of a moment (`replay.asOf`). */
export interface DeskAsOf {
  /** The moment: the newest event id it covers, and its time. */
  eventId: string;
  ts: number;
  /** Every keyed topic's rows, in the order its stream keeps them. */
  keyed: {
    positions: Position[];
    agents: Agent[];
    tasks: Task[];
    workflows: WorkflowRun[];
    agentCommands: AgentCommand[];
    alertRules: AlertRule[];
    alerts: Alert[];
  };
  /** The last `limit` events of every log topic at or before the moment, oldest first. */
  logs: {
    decisions: Decision[];
    trades: Trade[];
    signals: Signal[];
    notifications: DeskNotification[];
    systemAlerts: SystemAlert[];
    custom: DeskCustomEvent[];
    metrics: MetricSample[];
    memories: MemoryEvent[];
  };
  /** The portfolio as the desk computed it at the newest commit the moment covers. */
  portfolio: Portfolio | null;
  /** Each symbol's price: the close of the last 1 s bar that had ended by the moment. */
  prices: PriceTick[];
}
