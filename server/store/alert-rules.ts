import type { AlertRule } from '../../shared/schema/feeds';

/**
 * Evaluates a rule against a new price: it fires once when the price crosses its threshold and
 * re-arms when the price is back on the other side, so a price hovering above a threshold does
 * not fire on every tick.
 */
export function evaluateRule(rule: AlertRule, price: number): { fire: boolean; armed: boolean } {
  const beyond = rule.condition === 'above' ? price > rule.threshold : price < rule.threshold;
  if (beyond && rule.armed) return { fire: true, armed: false };
  if (!beyond && !rule.armed) return { fire: false, armed: true };
  return { fire: false, armed: rule.armed };
}

export function describeAlert(rule: AlertRule, price: number): string {
  return rule.message ?? `${rule.symbol} ${rule.condition} ${rule.threshold} (at ${price})`;
}
