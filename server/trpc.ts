import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import { effectiveRole, hasRole, type Role } from './auth/tokens';
import type { Context } from './context';

/** Every procedure declares the role it needs; the role middleware and the tests read it. */
export interface Meta {
  role: Role;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
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

/** Throws UNAUTHORIZED / FORBIDDEN unless the caller's role (as of now) includes `required`. */
export function assertRole(ctx: Context, required: Role | undefined): void {
  if (!required) throw new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'procedure declares no role' });
  if (!ctx.caller) {
    ctx.rejected.unauthorized++;
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'a valid token is required: connectionParams.token or Authorization: Bearer' });
  }
  const role = effectiveRole(ctx.caller, Date.now());
  if (!hasRole(role, required)) {
    ctx.rejected.forbidden++;
    const expired = role !== ctx.caller.role ? ' (the token has expired; it may only view now)' : '';
    throw new TRPCError({ code: 'FORBIDDEN', message: `${required} role required; this token is ${role}${expired}` });
  }
}

/** Lets the caller through when its role (as of now) includes the procedure's. */
function requireRole({ ctx, meta, next }: { ctx: Context; meta: Meta | undefined; next: () => Promise<any> }) {
  assertRole(ctx, meta?.role);
  return next();
}

/** Spends one token of the connection's mutation bucket. */
function throttleMutations({ ctx, type, next }: { ctx: Context; type: string; next: () => Promise<any> }) {
  if (type === 'mutation' && !ctx.connection.mutations.take()) {
    ctx.rejected.mutations++;
    throw new TRPCError({
      code: 'TOO_MANY_REQUESTS',
      message: `more than ${ctx.limits.mutationsPerSecond} mutations/s (burst ${ctx.limits.mutationBurst}) on this connection`,
    });
  }
  return next();
}

/** Counts every mutation's outcome, refused ones included. */
async function countMutations({ ctx, type, path, next }: { ctx: Context; type: string; path: string; next: () => Promise<any> }) {
  if (type !== 'mutation') return next();
  const result = await next();
  ctx.onMutation(path, result.ok ? 'OK' : result.error.code);
  return result;
}

const guarded = t.procedure.use(countMutations).use(requireRole).use(throttleMutations);

/** Subscriptions and queries of the desk's live state. */
export const viewerProcedure = guarded.meta({ role: 'viewer' });
/** Mutations and the simulator. */
export const operatorProcedure = guarded.meta({ role: 'operator' });
/** Statistics, metrics and configuration. */
export const adminProcedure = guarded.meta({ role: 'admin' });

/**
 * Every mutation takes an optional `idempotencyKey`: a retry with the same key returns the first
 * call's result and applies nothing twice.
 */
export const mutationProcedure = operatorProcedure.input(
  z.object({ idempotencyKey: z.string().min(1).max(128).optional() }).default({}),
);
