import type { z } from 'zod';
import type { DerivedTopic } from '../hub/derived-topic';
import { streamDerived } from '../hub/derived-stream';
import type { Filter } from '../hub/filter';
import type { LogTopic } from '../hub/log-topic';
import type { StateTopic } from '../hub/state-topic';
import { streamTopic } from '../hub/stream';
import type { DeltaMode } from '../hub/subscriber';
import type { DeskTopics } from '../store/topics';
import { TRPCError } from '@trpc/server';
import type { Context } from '../context';
import { viewerProcedure } from '../trpc';
import type { Moment, ReplaySpeed } from '../../shared/schema/replay';
import { replayTopic } from '../replay/replay-stream';

interface StreamInput {
  lastEventId?: string | null;
  replay?: { from: Moment; speed: ReplaySpeed };
  maxHz?: number;
  limit?: number;
  deltas?: DeltaMode;
}

/** What a transport needs to deliver a desk stream itself, without running the procedure. */
export interface DeskStream {
  pick: (topics: DeskTopics) => StateTopic<unknown> | LogTopic<unknown>;
  filter: (input: never) => Filter<unknown>;
}

const deskStreams = new WeakMap<object, DeskStream>();

/** The desk stream a procedure serves, if it is one (looked up by the procedure's definition). */
export function deskStreamOf(procedure: { _def: object } | undefined): DeskStream | undefined {
  return procedure ? deskStreams.get(procedure._def) : undefined;
}

/** The refusal of one more subscription on this connection (it holds the most it may), or null. */
export function subscriptionRefusal(ctx: Context): TRPCError | null {
  const { connection, limits } = ctx;
  if (connection.subscriptions < limits.maxSubscriptions) return null;
  return new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `at most ${limits.maxSubscriptions} subscriptions per connection` });
}

/** Counts a new subscription on the connection, or refuses it past the per-connection limit. */
export function openSubscription(ctx: Context): void {
  const refused = subscriptionRefusal(ctx);
  if (refused) {
    ctx.rejected.subscriptions++;
    throw refused;
  }
  ctx.connection.subscriptions++;
}

/** A client moved from another instance may be ahead of this one by a few commands: wait for them. */
export async function catchUpTo(ctx: Context, lastEventId: string | null | undefined): Promise<void> {
  const from = lastEventId == null ? null : Number(lastEventId);
  if (from !== null && ctx.catchUp && from > ctx.desk.hub.lastId) await ctx.catchUp(from);
}

/**
 * Whether a stream's raw input asks for a replay: such a stream runs its procedure (the replay
 * reads the journal), it is not delivered straight from the hub.
 */
export function wantsReplay(input: unknown): boolean {
  return typeof input === 'object' && input !== null && (input as { replay?: unknown }).replay != null;
}

function replaySourceOf(ctx: Context) {
  const { replay, journal } = ctx.desk;
  if (!replay || !journal) throw new TRPCError({ code: 'NOT_FOUND', message: 'this desk keeps no journal, so it has no past to replay' });
  return { hub: ctx.desk.hub, db: journal.db, rebuilder: replay.rebuilder };
}

/**
 * A subscription procedure over one topic: validates the input, turns it into a filter shared by
 * every subscriber with the same one, and streams snapshot then changes (with `replay`: from a
 * past moment, see `replayTopic`). The desk's WebSocket transport delivers a live one without
 * running the generator (`deskStreamOf`); other transports, and replays, run it.
 */
export function streamProcedure<S extends z.ZodType<StreamInput | undefined>, T>(
  input: S,
  pick: (topics: DeskTopics) => StateTopic<T> | LogTopic<T>,
  filter: (input: z.output<S>) => Filter<T>,
  base = viewerProcedure,
) {
  const procedure = base.input(input).subscription(async function* ({ ctx, input, signal }) {
    const options = (input ?? {}) as StreamInput;
    await catchUpTo(ctx, options.lastEventId);
    const replay = options.replay ? replaySourceOf(ctx) : null;
    openSubscription(ctx);
    try {
      const streamOptions = {
        filter: filter(input as z.output<S>),
        lastEventId: options.lastEventId,
        maxHz: options.maxHz,
        limit: options.limit,
        deltas: options.deltas,
        signal,
        isCongested: () => ctx.isCongested(),
        budget: ctx.budget(),
      };
      const topic = pick(ctx.desk.topics);
      if (replay) yield* replayTopic(replay, topic, streamOptions, { ...options.replay!, input: options as Record<string, unknown> });
      else yield* streamTopic(ctx.desk.hub, topic, streamOptions);
    } finally {
      ctx.connection.subscriptions--;
    }
  });
  deskStreams.set(procedure._def, { pick, filter } as unknown as DeskStream);
  return procedure;
}

/**
 * A subscription procedure over a derived value (health, stats): the current reading, then each
 * new one, as plain messages without event ids. A `lastEventId` in the input is accepted (any
 * stream's id is) and has nothing to resume: the answer is the current reading.
 */
export function derivedProcedure<S extends z.ZodType<StreamInput | undefined>, T>(
  input: S,
  pick: (topics: DeskTopics) => DerivedTopic<T>,
  base = viewerProcedure,
) {
  return base.input(input).subscription(async function* ({ ctx, input, signal }) {
    const options = (input ?? {}) as StreamInput;
    openSubscription(ctx);
    try {
      yield* streamDerived(pick(ctx.desk.topics), {
        maxHz: options.maxHz,
        signal,
        isCongested: () => ctx.isCongested(),
        counters: ctx.desk.hub.counters,
      });
    } finally {
      ctx.connection.subscriptions--;
    }
  });
}
