import { z } from 'zod';
import type { CompactPatch } from '../stream/compact.js';

export type { CompactPatch };
import { candleIntervalSchema } from './candles.js';
import { replayOptionSchema } from './replay.js';
import { eventIdSchema, idSchema, severitySchema, symbolSchema } from './common.js';

/**
 * What every subscription yields, wrapped in `tracked(eventId, message)`; derived streams
 * (`system.onHealth`, `system.onStats`) yield it bare, without an event id.
 *
 * - `snapshot`: the full current view (state topics) or the last N events (log topics). `resync` is
 *   true when it replaces a resume that could not be served exactly.
 * - `changes`: rows of a state topic that changed (`upserts`) or went away (`removes`, by key);
 *   with `deltas: true` in the input, rows the subscriber already holds may come as `patches`
 *   instead (only their changed fields); with `deltas: 'compact'` as `compact` patches (the same
 *   changes, fields by number and numbers by their step, see `CompactPatch`). A snapshot, a resume
 *   and a resync always carry whole rows.
 * - `append`: new events of a log topic, oldest first.
 */
export type StreamMessage<T> =
  | { type: 'snapshot'; items: T[]; resync: boolean }
  | { type: 'changes'; upserts: T[]; removes: string[]; patches?: RowPatch<T>[]; compact?: CompactPatch[] }
  | { type: 'append'; items: T[] };

/**
 * The changed top-level fields of one row the subscriber holds, against the value it last received
 * for that key: `set` gives each changed field its new value (a nested object or array is replaced
 * whole, never merged), `unset` names fields the row no longer has. The row becomes
 * `{ ...held, ...set }` without the `unset` fields (`applyStreamMessage` does this). Sent only to
 * subscriptions that asked for `deltas: true`, and never in the same message as an upsert or
 * removal of the same key.
 */
export interface RowPatch<T> {
  /** The row's key, as in `removes`. */
  key: string;
  set: Partial<T>;
  /** Field names of T (typed as strings, so a stream of rows stays assignable to one of fewer fields). */
  unset?: string[];
}

/** The delivery class a topic declares. */
export type DeliveryClass = 'latest' | 'keyed' | 'log';

const resumeFields = {
  /** Set by tRPC on reconnect; resume after this event id. */
  lastEventId: eventIdSchema.nullish(),
  /** Start from a past moment and play the recorded events forward, then go on live (derived streams: ignored, they are about now). */
  replay: replayOptionSchema.optional(),
};

const symbolsFilter = z.array(symbolSchema).max(200).optional();

/** Shared options of every state (latest / keyed) subscription. */
const stateOptions = {
  ...resumeFields,
  /** Deliver the newest value at most this many times per second. */
  maxHz: z.number().positive().max(1000).optional(),
  /**
   * Receive rows already held as `patches` (changed fields only) where the topic offers them, or
   * with `'compact'` as `compact` patches (fewer bytes). Needs a reducer that applies them
   * (`applyStreamMessage`). @default false
   */
  deltas: z.union([z.boolean(), z.literal('compact')]).optional(),
};

/** Shared options of every log subscription. */
const logOptions = {
  ...resumeFields,
  /** Snapshot size: the last N events. */
  limit: z.number().int().min(0).max(1000).optional(),
};

export const pricesInput = z.object({ ...stateOptions, symbols: symbolsFilter }).default({});
/** `market.onCandles`: one symbol's open bar of one interval. */
export const candlesStreamInput = z.object({ ...stateOptions, symbol: symbolSchema, interval: candleIntervalSchema });
export const portfolioInput = z.object({ ...stateOptions }).default({});
export const positionsInput = z.object({ ...stateOptions, symbols: symbolsFilter }).default({});
export const agentsInput = z.object({ ...stateOptions, ids: z.array(idSchema).max(200).optional() }).default({});
export const tasksInput = z.object({ ...stateOptions, agentId: idSchema.optional() }).default({});
/** `agents.onCommands`: every agent's commands, or one agent's (an agent subscribes to its own). */
export const agentCommandsInput = z.object({ ...stateOptions, agentId: idSchema.optional() }).default({});
export const workflowsInput = z.object({ ...stateOptions, workflowId: idSchema.optional() }).default({});
export const alertRulesInput = z.object({ ...stateOptions, symbols: symbolsFilter }).default({});
export const alertsInput = z
  .object({ ...stateOptions, symbols: symbolsFilter, minSeverity: severitySchema.optional() })
  .default({});
export const healthInput = z.object({ ...stateOptions }).default({});
export const presenceInput = z.object({ ...stateOptions }).default({});
export const statsInput = z.object({ ...stateOptions }).default({});

export const decisionsInput = z
  .object({ ...logOptions, agentId: idSchema.optional(), symbols: symbolsFilter })
  .default({});
export const tradesInput = decisionsInput;
export const signalsInput = z.object({ ...logOptions, symbols: symbolsFilter }).default({});
export const severityLogInput = z.object({ ...logOptions, minSeverity: severitySchema.optional() }).default({});
export const customInput = z.object({ ...logOptions, type: z.string().max(64).optional() }).default({});
/** `agents.onMemory`: one agent's memory events or all, with any of `tags`, at least `minImportance`. */
export const memoryInput = z
  .object({
    ...logOptions,
    agentId: idSchema.optional(),
    tags: z.array(z.string().max(32)).max(50).optional(),
    minImportance: z.number().min(0).max(1).optional(),
  })
  .default({});
export const metricsInput = z.object({ ...logOptions, name: z.string().max(100).optional() }).default({});
