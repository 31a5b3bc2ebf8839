/**
 * The server's router as a client sees it, written so that the compiler prints it in full.
 *
 * Never imported or run: `npm run build:client` emits this file's declaration and ships it as
 * `dist/app-router.d.ts` (`package-build.ts`). The return type below is one anonymous mapped type
 * (no type aliases of ours inside, which the printer would name instead of expanding), so the
 * emitted declaration spells out every procedure's input and output and refers to nothing but
 * @trpc/server and the package's own modules: no server context, no server file. Subscriptions
 * yield `{ id, data }` as tRPC's client delivers tracked events; mutation results are one object.
 */
import type {
  AnyMutationProcedure,
  AnyProcedure,
  AnyQueryProcedure,
  AnySubscriptionProcedure,
  inferRouterError,
  TRPCBuiltRouter,
  TRPCMutationProcedure,
  TRPCQueryProcedure,
  TRPCSubscriptionProcedure,
} from '@trpc/server';
import type { AppRouter as Server } from '../../server/root';

/** Two levels, `router.procedure`, as the desk's routers are; a deeper router fails this constraint. */
type Procedures = Record<string, Record<string, AnyProcedure>>;

declare function clientRouter<Rec extends Procedures, E>(): TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: { [K in keyof E]: E[K] }; transformer: false },
  {
    [R in keyof Rec]: {
      [P in keyof Rec[R]]: Rec[R][P] extends AnyQueryProcedure
        ? TRPCQueryProcedure<{ input: Rec[R][P]['_def']['$types']['input']; output: Rec[R][P]['_def']['$types']['output']; meta: object }>
        : Rec[R][P] extends AnyMutationProcedure
          ? TRPCMutationProcedure<{
              input: Rec[R][P]['_def']['$types']['input'];
              output: { [K in keyof Rec[R][P]['_def']['$types']['output']]: Rec[R][P]['_def']['$types']['output'][K] };
              meta: object;
            }>
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

export const appRouter = clientRouter<Server['_def']['record'], inferRouterError<Server>>();
