import type { z } from 'zod';
import type { Filter } from '../hub/filter';
import type { LogTopic } from '../hub/log-topic';
import type { StateTopic } from '../hub/state-topic';
import { streamTopic } from '../hub/stream';
import type { DeskTopics } from '../store/topics';
import { TRPCError } from '@trpc/server';
import { viewerProcedure } from '../trpc';

interface StreamInput {
  lastEventId?: string | null;
  maxHz?: number;
  limit?: number;
}

/**
 * A subscription procedure over one topic: validates the input, turns it into a filter shared by
 * every subscriber with the same one, and streams snapshot then changes.
 */
export function streamProcedure<S extends z.ZodType<StreamInput | undefined>, T>(
  input: S,
  pick: (topics: DeskTopics) => StateTopic<T> | LogTopic<T>,
  filter: (input: z.output<S>) => Filter<T>,
  base = viewerProcedure,
) {
  return base.input(input).subscription(async function* ({ ctx, input, signal }) {
    const options = (input ?? {}) as StreamInput;
    const { connection, limits } = ctx;
    if (connection.subscriptions >= limits.maxSubscriptions) {
      ctx.rejected.subscriptions++;
      throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: `at most ${limits.maxSubscriptions} subscriptions per connection` });
    }
    // A client moved from another instance may be ahead of this one by a few commands.
    const from = options.lastEventId == null ? null : Number(options.lastEventId);
    if (from !== null && ctx.catchUp && from > ctx.desk.hub.lastId) await ctx.catchUp(from);
    connection.subscriptions++;
    try {
      yield* streamTopic(ctx.desk.hub, pick(ctx.desk.topics), {
        filter: filter(input as z.output<S>),
        lastEventId: options.lastEventId,
        maxHz: options.maxHz,
        limit: options.limit,
        signal,
        isCongested: ctx.isCongested,
      });
    } finally {
      connection.subscriptions--;
    }
  });
}
