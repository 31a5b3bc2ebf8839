import { TRPCError } from '@trpc/server';
import { asOfInput } from '../../shared/schema/replay';
import type { Context } from '../context';
import { router, viewerProcedure } from '../trpc';

function replayOf(ctx: Context) {
  const replay = ctx.desk.replay;
  if (!replay) throw new TRPCError({ code: 'NOT_FOUND', message: 'this desk keeps no journal, so it has no past to rebuild' });
  return replay;
}

export const replayRouter = router({
  /** The moments the desk can rebuild: the oldest checkpoint the log still reaches, to now. */
  window: viewerProcedure.query(({ ctx }) => replayOf(ctx).rebuilder.window()),
  /** The whole desk as of an event id or a time: keyed rows, the last events of each log, portfolio, prices. */
  asOf: viewerProcedure.input(asOfInput).query(({ ctx, input }) => replayOf(ctx).rebuilder.asOf(input.at, input.limit)),
});
