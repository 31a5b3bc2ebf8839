import type { Context } from '../context';
import type { CommandInput, CommandPath } from '../store/commands';

/**
 * A mutation resolver that runs the command of that name (once per idempotency key) and returns its
 * result: `mutationProcedure.input(schema).mutation(command('market.setPrice'))`.
 */
export function command<P extends CommandPath>(path: P) {
  return ({ ctx, input }: { ctx: Context; input: CommandInput<P> & { idempotencyKey?: string } }) => {
    const { idempotencyKey, ...rest } = input;
    return ctx.commands.execute(path, rest as CommandInput<P>, idempotencyKey);
  };
}
