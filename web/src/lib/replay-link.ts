import type { TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';
import { replayInput, type ReplayMode } from './replay-mode';

/**
 * While the dashboard replays, every subscription asks for the same replay: the one setting that
 * switches every panel to the desk's past (derived readings, health and stats, stay live).
 */
export function replayLink<TRouter extends AnyRouter>(mode: ReplayMode | null): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      if (!mode || op.type !== 'subscription') return next(op);
      const input = op.input ?? {};
      if (typeof input !== 'object' || input === null || Array.isArray(input)) return next(op);
      return next({ ...op, input: { ...input, replay: replayInput(mode) } });
    };
}
