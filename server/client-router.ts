import type {
  AnyMutationProcedure,
  AnyProcedure,
  AnyQueryProcedure,
  AnySubscriptionProcedure,
  inferProcedureInput,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
  inferRouterError,
} from '@trpc/server';
import type { AppRouter as ServerRouter } from './root';

type Def<P extends AnyProcedure> = { input: inferProcedureInput<P>; output: P['_def']['$types']['output']; meta: object };

function clientRecord<R>(): {
  [K in keyof R]: R[K] extends AnyQueryProcedure
    ? TRPCQueryProcedure<Def<R[K]>>
    : R[K] extends AnyMutationProcedure
      ? TRPCMutationProcedure<Def<R[K]>>
      : R[K] extends AnySubscriptionProcedure
        ? TRPCSubscriptionProcedure<Def<R[K]>>
        : never;
} {
  return null as never;
}

export const clientRouterShape = {
  market: clientRecord<ServerRouter['_def']['record']['market']>(),
};
export const errorShape = null as unknown as { [K in keyof inferRouterError<ServerRouter>]: inferRouterError<ServerRouter>[K] };
