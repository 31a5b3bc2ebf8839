import type { AnyProcedure, inferProcedureInput, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './app-router.js';
import type { StreamMessage } from './schema/stream.js';

type Procedures = AppRouter['_def']['record'];
type KindOf<P> = P extends { _def: { type: infer T } } ? T : never;

/** `'market.onPrices' | 'market.executeTrade' | …`: every procedure of the desk by its dotted path. */
export type DeskPath = {
  [R in keyof Procedures & string]: `${R}.${keyof Procedures[R] & string}`;
}[keyof Procedures & string];

/** The procedure at a dotted path. */
type ProcedureAt<P extends DeskPath> = P extends `${infer R}.${infer N}`
  ? R extends keyof Procedures
    ? N extends keyof Procedures[R]
      ? Procedures[R][N] extends AnyProcedure
        ? Procedures[R][N]
        : never
      : never
    : never
  : never;

/** The dotted paths of one kind of procedure: `DeskPathOf<'mutation'>` is every mutation. */
export type DeskPathOf<K extends 'query' | 'mutation' | 'subscription'> = {
  [P in DeskPath]: KindOf<ProcedureAt<P>> extends K ? P : never;
}[DeskPath];

/** What a procedure takes: `DeskInput<'market.executeTrade'>` is what `mutate` accepts. */
export type DeskInput<P extends DeskPath> = inferProcedureInput<ProcedureAt<P>>;

/** Each message a subscription's `onData` carries, with its event id when the stream is tracked. */
type Yielded<P extends DeskPath> = ProcedureAt<P>['_def']['$types']['output'] extends AsyncIterable<infer Y> ? Y : never;

/**
 * What a procedure answers: a query's or a mutation's result as the client receives it, or for a
 * subscription one message's data (`DeskOutput<'market.onPrices'>` is `StreamMessage<PriceTick>`,
 * the `data` of what `onData` gets).
 */
export type DeskOutput<P extends DeskPath> =
  KindOf<ProcedureAt<P>> extends 'subscription'
    ? Yielded<P> extends { id: string; data: infer D }
      ? D
      : Yielded<P>
    : P extends `${infer R}.${infer N}`
      ? R extends keyof inferRouterOutputs<AppRouter>
        ? N extends keyof inferRouterOutputs<AppRouter>[R]
          ? inferRouterOutputs<AppRouter>[R][N]
          : never
        : never
      : never;

/** The rows of a stream: `DeskItem<'market.onPrices'>` is `PriceTick`. */
export type DeskItem<P extends DeskPathOf<'subscription'>> = DeskOutput<P> extends StreamMessage<infer T> ? T : never;
