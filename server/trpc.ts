import { initTRPC } from '@trpc/server';
import { ZodError, z } from 'zod';
import type { Context } from './context';

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-level messages a form can show next to its inputs.
        zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
      },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every mutation takes an optional `idempotencyKey`: a retry with the same key returns the first
 * call's result and applies nothing twice.
 */
export const mutationProcedure = t.procedure.input(
  z.object({ idempotencyKey: z.string().min(1).max(128).optional() }).default({}),
);
