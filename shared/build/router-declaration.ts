import type {
  AnyMutationProcedure,
  AnyProcedure,
  AnyQueryProcedure,
  AnySubscriptionProcedure,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
  inferRouterError,
} from '@trpc/server';
import type { AppRouter as Server } from '../../server/root';

type Rec = Server['_def']['record'];
declare function clientRouter<Rec extends Record<string, Record<string, AnyProcedure>>, E>(): TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: { [K in keyof E]: E[K] }; transformer: false },
  {
    [R in keyof Rec]: {
      [P in keyof Rec[R]]: Rec[R][P] extends AnyQueryProcedure
        ? TRPCQueryProcedure<{ input: Rec[R][P]['_def']['$types']['input']; output: Rec[R][P]['_def']['$types']['output']; meta: object }>
        : Rec[R][P] extends AnyMutationProcedure
          ? TRPCMutationProcedure<{ input: Rec[R][P]['_def']['$types']['input']; output: { [K in keyof Rec[R][P]['_def']['$types']['output']]: Rec[R][P]['_def']['$types']['output'][K] }; meta: object }>
          : Rec[R][P] extends AnySubscriptionProcedure
            ? TRPCSubscriptionProcedure<{
                input: Rec[R][P]['_def']['$types']['input'];
                output: Rec[R][P]['_def']['$types']['output'] extends AsyncIterable<infer Y, infer Ret, infer N>
                  ? AsyncIterable<Y extends { id: string; data: infer D } ? { id: string; data: D } : Y, Ret, N>
                  : never;
                meta: object;
              }>
            : never;
    };
  }
>;
export const appRouter = clientRouter<Rec, inferRouterError<Server>>();
