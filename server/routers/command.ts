import type { Context } from '../context';
import type { AuditScope } from '../persist/audit-log';
import { takeAuditScope } from '../trpc';
import type { CommandInput, CommandPath, CommandResult } from '../store/commands';

/** The command a mutation resolver made by `command()` runs, and what the server adds to its input. */
export interface CommandCall<P extends CommandPath = CommandPath> {
  path: P;
  extra: ((ctx: Context) => object) | undefined;
}

/** Every resolver `command()` made, by the function tRPC keeps as the procedure's resolver. */
const calls = new WeakMap<object, CommandCall>();

/**
 * Runs `call`'s command with the mutation's parsed input (its `idempotencyKey` taken out and used
 * as the key) and what the server adds, audited in its transaction by `audit`; resolves to the
 * command's result once it is durable.
 */
export function runCommand<P extends CommandPath>(
  ctx: Context,
  call: CommandCall<P>,
  input: object & { idempotencyKey?: string },
  audit: AuditScope | undefined,
): Promise<CommandResult<P>> {
  // One copy, in the input's key order, then what the server adds: `{ ...rest, ...extra }` without
  // the rest pattern's copy before it (the runtime's slow path for a rest with excluded keys); a parsed
  // input has only its schema's keys.
  const command: Record<string, unknown> = {};
  for (const key in input) if (key !== 'idempotencyKey') command[key] = input[key as keyof typeof input];
  if (call.extra !== undefined) Object.assign(command, call.extra(ctx));
  return ctx.commands.execute(call.path, command as CommandInput<P>, input.idempotencyKey, audit);
}

/**
 * A mutation resolver that runs the command of that name (once per idempotency key) and returns its
 * result: `mutationProcedure.input(schema).mutation(command('market.setPrice'))`. `extra` adds what
 * the server decides rather than the client (who revoked, the limits in force), so that folding the
 * logged command elsewhere decides the same. The desk's WebSocket transport runs such a mutation
 * without tRPC's call chain (`commandOf`).
 */
export function command<P extends CommandPath>(path: P, extra?: (ctx: Context) => object) {
  const call: CommandCall<P> = { path, extra };
  const resolver = ({ ctx, input: given }: { ctx: Context; input: object & { idempotencyKey?: string } }) => {
    const { input, audit } = takeAuditScope(given);
    return runCommand(ctx, call, input, audit);
  };
  calls.set(resolver, call);
  return resolver;
}

/** The command a procedure's resolver runs, if `command()` made it (looked up by the resolver). */
export function commandOf(resolver: unknown): CommandCall | undefined {
  return typeof resolver === 'function' ? calls.get(resolver) : undefined;
}

/** The trading limits in force, carried in the command so that every instance decides the same. */
export const withTradeLimits = (ctx: Context) => ({ limits: ctx.tradeLimits });
