import { TokenBucket } from './token-bucket';

/**
 * One request budget per caller identity (`identityOf`), shared by all of that caller's
 * connections and requests. The map is bounded: the least recently used budget goes first, and a
 * caller that comes back starts with a full one, which is no more than a new caller gets.
 */
export function createCallerBudgets(perSecond: number, burst: number, max = 10_000) {
  const budgets = new Map<string, TokenBucket>();
  return {
    of(identity: string): TokenBucket {
      let budget = budgets.get(identity);
      if (budget) {
        budgets.delete(identity);
      } else {
        budget = new TokenBucket(perSecond, burst);
        if (budgets.size >= max) budgets.delete(budgets.keys().next().value!);
      }
      budgets.set(identity, budget);
      return budget;
    },
    get size(): number {
      return budgets.size;
    },
  };
}
export type CallerBudgets = ReturnType<typeof createCallerBudgets>;
