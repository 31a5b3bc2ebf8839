import type { Context } from '../context';
import { takeAuditScope } from '../trpc';
import type { CommandInput, CommandPath } from '../store/commands';

/**
 * A mutation resolver that runs the command of that name (once per idempotency key) and returns its
 * result: `mutationProcedure.input(schema).mutation(command('market.setPrice'))`. `extra` adds what
 * the server decides rather than the client (who revoked, the limits in force), so that folding the
 * logged command elsewhere decides the same.
 */
export function command<P extends CommandPath>(path: P, extra?: (ctx: Context) => object) {
  return ({ ctx, input: given }: { ctx: Context; input: object & { idempotencyKey?: string } }) => {
    const { input, audit } = takeAuditScope(given);
    const { idempotencyKey, ...rest } = input;
    return ctx.commands.execute(path, { ...rest, ...extra?.(ctx) } as CommandInput<P>, idempotencyKey, audit);
  };
}

/** The trading limits in force, carried in the command so that every instance decides the same. */
export const withTradeLimits = (ctx: Context) => ({ limits: ctx.tradeLimits });
