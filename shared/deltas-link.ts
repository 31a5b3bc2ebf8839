import type { TRPCLink } from '@trpc/client';
import type { AnyRouter } from '@trpc/server';

/**
 * A link that asks every subscription for deltas (`deltas: true` in its input, or `mode`) unless
 * the caller chose, so rows a subscriber holds come as patches of their changed fields where a
 * topic offers them (`'compact'`: as compact patches). Only for clients that apply messages with
 * `applyStreamMessage` (or apply `patches` themselves). Input that is not a plain object is left
 * alone; log and derived streams ignore the flag.
 */
export function deltasLink<TRouter extends AnyRouter>(mode: true | 'compact' = true): TRPCLink<TRouter> {
  return () =>
    ({ op, next }) => {
      if (op.type !== 'subscription') return next(op);
      const input = op.input ?? {};
      if (typeof input !== 'object' || input === null || Array.isArray(input)) return next(op);
      if ((input as { deltas?: unknown }).deltas !== undefined) return next(op);
      return next({ ...op, input: { ...input, deltas: mode } });
    };
}
